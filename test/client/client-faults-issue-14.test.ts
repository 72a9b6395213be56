import { mkdtemp, rm } from "node:fs/promises";
import { QUIET_CLIENT } from "./scripted-client";
import { type AddressInfo, type Server, type Socket, createServer } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { type PosClientOptions, MemoryStorage, createPosClient, decideRetry } from "../../client/src";
import { FileStorage } from "../../client/src/node";
import type { KeyValueStorage } from "../../client/src/storage/storage";
import { type SendOutcome, factsOf } from "../../client/src/sync/sync-transport";

const SHOP = "00000000-0000-4000-8000-000000000014";
const line = { productId: "p1", quantity: 1, price: 2 };

/** A client that never syncs on its own and talks to nothing unless the test gives it a transport or a uri. */
function quietClient(storage: KeyValueStorage, options: Partial<PosClientOptions> = {}) {
  return createPosClient({
    uri: "http://127.0.0.1:9/graphql",
    shopId: SHOP,
    getToken: () => "token",
    storage,
    ...QUIET_CLIENT,
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

describe("issue 14 item 13: an HTTP-date Retry-After", () => {
  const DAY = 24 * 60 * 60 * 1000;
  const serverNow = Date.parse("2026-11-25T12:00:00Z");
  const rateLimited = (retryAfter: string, date: string | null): SendOutcome => ({
    kind: "failed",
    facts: { status: 429, retryAfter, date, codes: ["RATE_LIMITED"], message: "Too many sync requests" },
  });

  async function firstWait(tillClockOffsetMs: number, outcome: SendOutcome) {
    const client = quietClient(new MemoryStorage(), {
      now: () => serverNow + tillClockOffsetMs,
      backoff: { initialMs: 10, maxMs: 20, jitter: false },
      transport: () => async () => outcome,
    });
    await client.recordSale({ items: [line] });
    const report = await client.sync();
    await client.dispose();
    return report;
  }

  it.each([
    ["a day ahead", DAY],
    ["a day behind", -DAY],
    ["right", 0],
  ])("waits what the server asked, measured against the response's own Date, with the till's clock %s", async (_, offset) => {
    const outcome = rateLimited(new Date(serverNow + 2000).toUTCString(), new Date(serverNow).toUTCString());
    expect(await firstWait(offset, outcome)).toMatchObject({ kind: "retrying", retryInMs: 2000 });
  });

  it("falls back to the backoff when the wait it gives is not positive, or the Date is missing or unparsable", async () => {
    const at = new Date(serverNow).toUTCString();
    expect(await firstWait(DAY, rateLimited(at, new Date(serverNow + 5000).toUTCString()))).toMatchObject({ retryInMs: 10 });
    expect(await firstWait(0, rateLimited(at, at))).toMatchObject({ retryInMs: 10 });
    expect(await firstWait(-DAY, rateLimited(new Date(serverNow + 2000).toUTCString(), null))).toMatchObject({ retryInMs: 10 });
    expect(await firstWait(0, rateLimited(new Date(serverNow + 2000).toUTCString(), "yesterday"))).toMatchObject({ retryInMs: 10 });
    expect(await firstWait(0, rateLimited("soon", at))).toMatchObject({ retryInMs: 10 });
  });

  it("is read with the response's Date header from the transport's error", () => {
    const headers = new Headers({ "retry-after": "Wed, 25 Nov 2026 12:00:02 GMT", date: "Wed, 25 Nov 2026 12:00:00 GMT" });
    const facts = factsOf({ message: "429", networkError: { statusCode: 429, response: { headers } } });
    expect(facts).toMatchObject({ retryAfter: "Wed, 25 Nov 2026 12:00:02 GMT", date: "Wed, 25 Nov 2026 12:00:00 GMT" });
    expect(decideRetry(facts, serverNow + DAY)).toEqual({ kind: "retry", retryAfterMs: 2000 });
  });
});

describe("issue 14 item 14: a sync request the network never answers", () => {
  /** A TCP server that accepts connections, reads what comes, and never writes a byte back. */
  let blackhole: Server;
  let uri: string;
  const sockets = new Set<Socket>();
  let requestsSeen = 0;
  beforeAll(async () => {
    blackhole = createServer((socket) => {
      sockets.add(socket);
      socket.once("data", () => requestsSeen++);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => blackhole.listen(0, "127.0.0.1", resolve));
    uri = `http://127.0.0.1:${(blackhole.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => blackhole.close(resolve));
  });

  it("is aborted after requestTimeoutMs and counts as a retryable failure: syncing ends, the sale stays pending", async () => {
    const client = quietClient(new MemoryStorage(), { uri, requestTimeoutMs: 300, backoff: { initialMs: 10, maxMs: 20, jitter: false } });
    const { clientTempId } = await client.recordSale({ items: [line] });
    const started = Date.now();
    const report = await client.sync();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(report).toMatchObject({ kind: "retrying", error: expect.stringMatching(/no answer within 300 ms/) });
    expect(client.status()).toMatchObject({ syncing: false, online: false, pending: 1, lastError: expect.stringMatching(/no answer/) });
    expect(client.pendingSales()).toEqual([expect.objectContaining({ clientTempId, state: "pending", attempts: 1 })]);
    await client.dispose();
  }, 10_000);

  it("does not keep dispose() waiting, with the default timeout, while a request hangs", async () => {
    const client = quietClient(new MemoryStorage(), { uri });
    await client.recordSale({ items: [line] });
    const before = requestsSeen;
    const syncing = client.sync();
    while (requestsSeen === before) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(client.status().syncing).toBe(true);
    const started = Date.now();
    await client.dispose();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await syncing).toMatchObject({ kind: expect.stringMatching(/retrying|disposed/) });
    expect(client.status().syncing).toBe(false);
    expect(client.pendingSales().map((r) => r.state)).toEqual(["pending"]);
  }, 10_000);
});
