import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { type PosClientOptions, MemoryStorage, createPosClient } from "../../client/src";
import { FileStorage } from "../../client/src/node";
import type { KeyValueStorage } from "../../client/src/storage/storage";

const SHOP = "00000000-0000-4000-8000-000000000014";
const line = { productId: "p1", quantity: 1, price: 2 };

/** A client that never syncs on its own and talks to nothing unless the test gives it a transport or a uri. */
function quietClient(storage: KeyValueStorage, options: Partial<PosClientOptions> = {}) {
  return createPosClient({
    uri: "http://127.0.0.1:9/graphql",
    shopId: SHOP,
    getToken: () => "token",
    storage,
    syncIntervalMs: 0,
    syncOnStart: false,
    syncAfterRecordMs: false,
    networkEvents: false,
    locks: null,
    ...options,
  });
}

describe("issue 14 item 11: two clients on one storage", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "pos-sync-two-clients-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const storages: [string, () => Promise<[KeyValueStorage, KeyValueStorage, () => Promise<KeyValueStorage>]>][] = [
    ["the same FileStorage directory", async () => [await FileStorage.open(dir), await FileStorage.open(dir), () => FileStorage.open(dir)]],
    [
      "the same MemoryStorage",
      async () => {
        const storage = new MemoryStorage();
        return [storage, storage, async () => storage];
      },
    ],
  ];

  it.each(storages)("lose no sale when each records 50 at once on %s: the reopened outbox holds all 100 with unique seqs", async (_, open) => {
    const [first, second, reopen] = await open();
    const a = quietClient(first);
    const b = quietClient(second);
    await Promise.all([a.ready, b.ready]);
    const recorded = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).recordSale({ items: [line] })));
    await Promise.all([a.dispose(), b.dispose()]);

    const after = quietClient(await reopen());
    await after.ready;
    const records = after.outboxRecords();
    expect(new Set(records.map((r) => r.clientTempId))).toEqual(new Set(recorded.map((r) => r.clientTempId)));
    expect(new Set(records.map((r) => r.seq)).size).toBe(100);
    await after.dispose();
  });
});

/** Storage whose reads take a few milliseconds once `slow` is set, so a reload of the outbox takes a while. */
class SlowReads extends MemoryStorage {
  slow = false;
  override async getItem(key: string): Promise<string | null> {
    if (this.slow) await new Promise((resolve) => setTimeout(resolve, 3));
    return super.getItem(key);
  }
}

describe("issue 14 item 12: readers during the reload at the start of every sync", () => {
  it("see the whole outbox in pendingSales() and outboxRecords() while the pages are being read again", async () => {
    const storage = new SlowReads();
    let sending = false;
    const client = quietClient(storage, {
      batchSize: 1000,
      transport: () => async () => {
        sending = true;
        return { kind: "failed", facts: { codes: [], message: "offline" } };
      },
    });
    for (let i = 0; i < 600; i++) await client.recordSale({ items: [line] });
    storage.slow = true;
    const seen = new Set<string>();
    const syncing = client.sync();
    while (!sending) {
      seen.add(`${client.pendingSales().length} pending, ${client.outboxRecords().length} in all, status ${client.status().pending}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect((await syncing).kind).toBe("retrying");
    expect([...seen]).toEqual(["600 pending, 600 in all, status 600"]);
    await client.dispose();
  });
});
