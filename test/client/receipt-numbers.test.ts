import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { MemoryStorage, type PosClient, receiptOf } from "../../client/src";
import { FileStorage } from "../../client/src/node";
import type { SeededShops } from "../../server/src/demo/seed";
import { type TestServer, startTestServer } from "../support/test-server";
import { controllableFetch, testClient } from "./client-harness";
import { DyingStorage } from "./dying-storage";

/** Receipt numbers assigned by the client on a paired till (issue 10): gapless per till, never reused. */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

const TILL = { id: "7f6b3a52-4f4e-4d1c-9d51-0c2a3e8e0a03", code: "T03" };

function sell(client: PosClient, shop: SeededShops) {
  const product = shop.products[0];
  return client.recordSale({ items: [{ productId: product.id, quantity: 1, price: product.price }] });
}

const numbersOf = (client: PosClient) => client.outboxRecords().map((r) => r.sale.receiptNumber);

describe("receipt numbers on a paired till", () => {
  it("numbers the till's sales 1, 2, 3 in the record's own outbox write, shown as T03-000001", async () => {
    const shop = await t.seed();
    const storage = new MemoryStorage();
    const writes: string[] = [];
    const watched = { getItem: (k: string) => storage.getItem(k), removeItem: (k: string) => storage.removeItem(k), setItem: (k: string, v: string) => (writes.push(v), storage.setItem(k, v)) };
    const client = testClient(t, shop.shopId, { storage: watched, till: TILL, fetch: controllableFetch().fetch });
    await client.ready;
    const records = [await sell(client, shop), await sell(client, shop), await sell(client, shop)];
    expect(records.map((r) => r.sale.receiptNumber)).toEqual([1, 2, 3]);
    expect(records.map(receiptOf)).toEqual(["T03-000001", "T03-000002", "T03-000003"]);
    // The page write that stored the third sale already carried its number.
    const pageWithThird = writes.find((w) => w.includes(records[2].clientTempId));
    expect(pageWithThird).toContain(`"receiptNumber":3`);
    await client.dispose();
  });

  it("gives no number to a sale recorded without a till (a person's token, a legacy till)", async () => {
    const shop = await t.seed();
    const client = testClient(t, shop.shopId, { storage: new MemoryStorage(), token: shop.tokens.cashier });
    await client.ready;
    const record = await sell(client, shop);
    expect(record.sale.receiptNumber).toBeUndefined();
    expect(receiptOf(record)).toBeNull();
    await client.dispose();
  });

  it("never gives the number of a discarded sale again, nor of a synced one after it was pruned", async () => {
    const shop = await t.seed();
    const storage = new MemoryStorage();
    const client = testClient(t, shop.shopId, { storage, till: TILL, token: shop.tokens.cashier });
    await client.ready;
    await sell(client, shop);
    await sell(client, shop);
    const third = await sell(client, shop);
    await client.discard(third.clientTempId);
    expect((await sell(client, shop)).sale.receiptNumber).toBe(4);
    expect(await client.sync()).toMatchObject({ kind: "done", synced: 3 });
    await client.dispose();

    // Reopened with no retention: every synced record is pruned at open; the counter carries on.
    const reopened = testClient(t, shop.shopId, { storage, till: TILL, token: shop.tokens.cashier, retentionMs: 0 });
    await reopened.ready;
    expect(reopened.outboxRecords()).toHaveLength(0);
    expect((await sell(reopened, shop)).sale.receiptNumber).toBe(5);
    await reopened.dispose();
  });

  it("keeps one counter for two clients on the same storage (two tabs): no number is taken twice", async () => {
    const shop = await t.seed();
    const storage = new MemoryStorage();
    const tabs = [testClient(t, shop.shopId, { storage, till: TILL }), testClient(t, shop.shopId, { storage, till: TILL })];
    await Promise.all(tabs.map((c) => c.ready));
    const records = await Promise.all(Array.from({ length: 40 }, (_, i) => sell(tabs[i % 2], shop)));
    const numbers = records.map((r) => r.sale.receiptNumber).sort((a, b) => a! - b!);
    expect(numbers).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    await Promise.all(tabs.map((c) => c.dispose()));
  });

  it("counts per till: a till paired again under a new identity starts at 1", async () => {
    const shop = await t.seed();
    const storage = new MemoryStorage();
    const first = testClient(t, shop.shopId, { storage, till: TILL });
    await first.ready;
    await sell(first, shop);
    await sell(first, shop);
    await first.dispose();
    const again = testClient(t, shop.shopId, { storage, till: { id: "0d1f5b52-2d7c-4a4e-8e1f-3b7e2a9c4d11", code: "T04" } });
    await again.ready;
    expect(receiptOf(await sell(again, shop))).toBe("T04-000001");
    await again.dispose();
  });
});

describe("receipt numbers across a crash", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "pos-sync-receipts-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(["before", "after"] as const)("neither reuses nor skips a number when the storage dies %s a write", async (dies) => {
    const shop = await t.seed();
    const dying = new DyingStorage(await FileStorage.open(dir), 1_000_000, dies);
    const net = controllableFetch();
    net.down();
    const crashed = testClient(t, shop.shopId, { storage: dying, till: TILL, fetch: net.fetch, cacheMaxSize: false });
    await crashed.ready;
    dying.writesLeft = 7;
    const resolved: number[] = [];
    for (let i = 0; i < 12; i++) {
      const record = await sell(crashed, shop).catch(() => null);
      if (record) resolved.push(record.sale.receiptNumber!);
    }
    expect(resolved).toEqual([1, 2, 3, 4, 5, 6, 7]);

    const restarted = testClient(t, shop.shopId, { storage: await FileStorage.open(dir), till: TILL, fetch: net.fetch });
    await restarted.ready;
    const found = numbersOf(restarted);
    // "after": the write that died landed whole (number 8, never reported); "before": it did not.
    expect(found).toEqual(dies === "after" ? [1, 2, 3, 4, 5, 6, 7, 8] : [1, 2, 3, 4, 5, 6, 7]);
    expect((await sell(restarted, shop)).sale.receiptNumber).toBe(found.length + 1);
    await restarted.dispose();
    await crashed.dispose().catch(() => undefined);
  });
});
