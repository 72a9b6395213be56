import { MemoryStorage } from "../../client/src";
import { countRows } from "../support/database";
import { type TestServer, startTestServer } from "../support/test-server";
import { cachedSales, cachedStock, controllableFetch, shownStock, tempSaleKeys, testClient, warmCache } from "./client-harness";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

describe("a till that goes offline, reloads, and comes back", () => {
  it("creates 50 sales recorded offline exactly once after a reload, and shows their order numbers from the cache", async () => {
    const shop = await t.seed();
    const product = shop.products[0];
    const storage = new MemoryStorage();
    const net = controllableFetch();

    const before = testClient(t, shop.shopId, { storage, token: shop.tokens.cashier, fetch: net.fetch });
    await warmCache(before);
    net.down();
    const recorded: string[] = [];
    for (let i = 0; i < 50; i++) {
      const record = await before.recordSale({ items: [{ productId: product.id, quantity: 1, price: product.price }] });
      recorded.push(record.clientTempId);
    }
    expect((await before.sync()).kind).toBe("retrying");
    expect(before.status()).toMatchObject({ online: false, pending: 50, synced: 0 });
    // Optimistic: all 50 at the top of the cached list, pending, and the stock already down.
    const optimistic = cachedSales(before);
    expect(optimistic.slice(0, 50).map((s) => s.id)).toEqual([...recorded].reverse());
    expect(optimistic.slice(0, 50).every((s) => s.syncState === "pending" && s.orderId === "")).toBe(true);
    expect(cachedStock(before, product.id)).toBe(product.stock - 50);
    await before.dispose();

    const after = testClient(t, shop.shopId, { storage, token: shop.tokens.cashier, fetch: net.fetch });
    await after.ready;
    expect(after.pendingSales().map((r) => r.clientTempId)).toEqual(recorded);
    expect(cachedSales(after).slice(0, 50).map((s) => s.id)).toEqual([...recorded].reverse());
    expect(cachedStock(after, product.id)).toBe(product.stock - 50);

    net.up();
    const report = await after.sync();
    expect(report).toEqual({ kind: "done", synced: 50, failed: 0 });

    expect(await countRows(t.dataSource, "sales", shop.shopId)).toBe(50);
    const rows: { id: string; order_id: string; client_temp_id: string }[] = await t.dataSource.query(
      `SELECT id::text AS id, order_id, client_temp_id FROM sales WHERE shop_id = $1`,
      [shop.shopId],
    );
    const byTempId = new Map(rows.map((r) => [r.client_temp_id, r]));
    expect(new Set(byTempId.keys())).toEqual(new Set(recorded));

    const records = after.outboxRecords();
    expect(records).toHaveLength(50);
    for (const record of records) {
      expect(record).toMatchObject({ state: "synced", synced: true, serverId: byTempId.get(record.clientTempId)!.id, orderId: byTempId.get(record.clientTempId)!.order_id });
    }
    expect(after.status()).toMatchObject({ online: true, pending: 0, synced: 50, failed: 0, lastError: null });

    const reconciled = cachedSales(after).slice(0, 50);
    expect(reconciled.map((s) => s.clientTempId)).toEqual([...recorded].reverse());
    for (const sale of reconciled) {
      const row = byTempId.get(sale.clientTempId!)!;
      expect(sale).toMatchObject({ id: row.id, orderId: row.order_id, syncState: "synced" });
      expect(sale.orderId).toMatch(/^ORD-/);
    }
    expect(tempSaleKeys(after, recorded)).toEqual([]);
    expect(await shownStock(after, product.id)).toBe(product.stock - 50);
    await after.dispose();
  });
});
