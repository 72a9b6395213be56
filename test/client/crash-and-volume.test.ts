import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { MemoryStorage, type PosClient, SyncOfflineSalesDocument } from "../../client/src";
import { FileStorage } from "../../client/src/node";
import type { KeyValueStorage } from "../../client/src/storage/storage";
import { countRows } from "../support/database";
import { type TestServer, startTestServer } from "../support/test-server";
import { cachedSales, controllableFetch, tempSaleKeys, testClient, warmCache } from "./client-harness";
import { DyingStorage } from "./dying-storage";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

async function recordUntilDeath(client: PosClient, productId: string, price: number, tries: number) {
  const resolved: string[] = [];
  let rejected = 0;
  for (let i = 0; i < tries; i++) {
    try {
      resolved.push((await client.recordSale({ items: [{ productId, quantity: 1, price }] })).clientTempId);
    } catch {
      rejected++;
    }
  }
  return { resolved, rejected };
}

describe("a crash between writing to the outbox and the sync", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "pos-sync-crash-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(["before", "after"] as const)(
    "loses no sale that recordSale had resolved when the storage dies %s a write",
    async (dies) => {
      const shop = await t.seed();
      const product = shop.products[0];
      const disk = await FileStorage.open(dir);
      const dying = new DyingStorage(disk, 1_000_000, dies);
      const net = controllableFetch();
      const crashed = testClient(t, shop.shopId, { storage: dying, token: shop.tokens.cashier, fetch: net.fetch, cacheMaxSize: false });
      await crashed.ready;
      net.down();
      // Let the storage die at the 13th outbox write from here on.
      dying.writesLeft = 12;
      const { resolved, rejected } = await recordUntilDeath(crashed, product.id, product.price, 20);
      expect(resolved.length).toBeGreaterThanOrEqual(10);
      expect(rejected).toBeGreaterThan(0);
      // The process is gone: no dispose, no flush. A new one starts over what is on disk.
      const restarted = testClient(t, shop.shopId, { storage: await FileStorage.open(dir), token: shop.tokens.cashier });
      await restarted.ready;
      const found = restarted.pendingSales().map((r) => r.clientTempId);
      expect(found.slice(0, resolved.length)).toEqual(resolved);
      // "after": the write that died may have landed (the sale is in, whole); it was never reported.
      expect(found.length - resolved.length).toBe(dies === "after" ? 1 : 0);
      for (const record of restarted.pendingSales()) expect(record.sale.items).toHaveLength(1);

      expect(await restarted.sync()).toEqual({ kind: "done", synced: found.length, failed: 0 });
      expect(await countRows(t.dataSource, "sales", shop.shopId)).toBe(found.length);
      await restarted.dispose();
      await crashed.dispose().catch(() => undefined);
    },
  );

  it("resends sales left in the syncing state by a crash during the request", async () => {
    const shop = await t.seed();
    const product = shop.products[0];
    // The crashed instance stands for another process, whose locks die with it: its storage has no
    // lockScope, so it does not share the in-process locks of the restarted one on the same directory.
    const opened = await FileStorage.open(dir);
    const disk: KeyValueStorage = { getItem: (k) => opened.getItem(k), setItem: (k, v) => opened.setItem(k, v), removeItem: (k) => opened.removeItem(k) };
    let crash: (() => void) | undefined;
    const crashed = testClient(t, shop.shopId, {
      storage: disk,
      token: shop.tokens.cashier,
      // The request reaches the server, which commits; the process dies before it reads the answer.
      transport: (apollo) => async (sales) => {
        await apollo.mutate({ mutation: SyncOfflineSalesDocument, variables: { sales }, fetchPolicy: "no-cache" });
        await new Promise<void>((resolve) => (crash = resolve));
        throw new Error("unreachable");
      },
    });
    await crashed.ready;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await crashed.recordSale({ items: [{ productId: product.id, quantity: 1, price: product.price }] })).clientTempId);
    void crashed.sync();
    while (!crash) await new Promise((r) => setTimeout(r, 5));

    const restarted = testClient(t, shop.shopId, { storage: await FileStorage.open(dir), token: shop.tokens.cashier });
    await warmCache(restarted);
    expect(restarted.pendingSales().map((r) => [r.clientTempId, r.state])).toEqual(ids.map((id) => [id, "syncing"]));
    expect(await restarted.sync()).toEqual({ kind: "done", synced: 5, failed: 0 });
    expect(await countRows(t.dataSource, "sales", shop.shopId)).toBe(5);
    expect(tempSaleKeys(restarted, ids)).toEqual([]);
    expect(cachedSales(restarted).filter((s) => ids.includes(s.clientTempId!))).toHaveLength(5);
    await restarted.dispose();
    // Let the "dead" instance run out: its late writes must not undo what the restarted one stored.
    crash!();
    await crashed.dispose();
    const reread = testClient(t, shop.shopId, { storage: await FileStorage.open(dir), token: shop.tokens.cashier });
    await reread.ready;
    expect(reread.outboxRecords().map((r) => r.state)).toEqual(Array(5).fill("synced"));
    await reread.dispose();
  });
});

describe("a large queue", () => {
  it("syncs 10,000 queued sales in batches of 100", async () => {
    const shop = await t.seed();
    const storage = new MemoryStorage();
    const client = testClient(t, shop.shopId, { storage, token: shop.tokens.cashier, batchSize: 100 });
    await warmCache(client);
    const recordStart = performance.now();
    for (let i = 0; i < 10_000; i++) {
      const product = shop.products[i % shop.products.length];
      await client.recordSale({ items: [{ productId: product.id, quantity: 1 + (i % 3), price: product.price }] });
    }
    const recordMs = performance.now() - recordStart;
    const queuedBytes = client.outboxBytes();
    expect(client.status().pending).toBe(10_000);

    const syncStart = performance.now();
    expect(await client.sync()).toEqual({ kind: "done", synced: 10_000, failed: 0 });
    const syncMs = performance.now() - syncStart;
    const syncedBytes = client.outboxBytes();

    expect(await countRows(t.dataSource, "sales", shop.shopId)).toBe(10_000);
    expect(client.outboxRecords().every((r) => r.state === "synced")).toBe(true);
    expect(cachedSales(client, 200).slice(0, 3).every((s) => s.orderId.startsWith("ORD-"))).toBe(true);
    console.log(
      `10,000 sales: recorded in ${(recordMs / 1000).toFixed(1)} s, synced in ${(syncMs / 1000).toFixed(1)} s ` +
        `(${t.config.databaseUrl ? "PostgreSQL" : "PGlite"}); outbox ${queuedBytes} bytes queued, ${syncedBytes} bytes synced ` +
        `(all storage incl. persisted cache: ${storage.byteSize()} bytes)`,
    );
    await client.dispose();
  }, 120_000);
});
