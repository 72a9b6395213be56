import { countRows, ledgerSum, stockOf } from "../support/database";
import { lockProduct } from "../support/locks";
import { saleOf } from "../support/sales";
import { type TestServer, startTestServer } from "../support/test-server";
import { TRANSPORTS, authHeaders } from "../support/transports";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

describe.each(TRANSPORTS)("concurrent syncs over $name", (transport) => {
  it("records each sale once when 20 simultaneous requests carry the same batch", async () => {
    const shop = await t.seed();
    // Two users, so requests are not merged in memory by the group commit: the unique key decides.
    const users = [authHeaders(shop.tokens.cashier, shop.shopId), authHeaders(shop.tokens.owner, shop.shopId)];
    const batch = Array.from({ length: 25 }, (_, i) =>
      saleOf(shop, { items: [{ productId: shop.products[i % 3].id, quantity: 1, price: shop.products[i % 3].price }], totalAmount: shop.products[i % 3].price }),
    );
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, r) => transport.sync(t.url, users[Math.floor(r / 2) % 2], r % 2 ? [...batch].reverse() : batch)),
    );
    for (const answer of answers) {
      expect(answer.httpStatus).toBe(200);
      expect(answer.errors).toEqual([]);
      expect(answer.synced).toHaveLength(batch.length);
    }
    for (const sale of batch) {
      const results = answers.map((a) => a.synced.find((s) => s.clientTempId === sale.clientTempId)!);
      expect(results.filter((r) => r.status === "created")).toHaveLength(1);
      expect(new Set(results.map((r) => `${r.serverId}/${r.orderId}`)).size).toBe(1);
    }
    expect(await countRows(t.dataSource, "sales", shop.shopId)).toBe(batch.length);
    expect(await countRows(t.dataSource, "offline_sale_syncs", shop.shopId)).toBe(batch.length);
    for (const p of shop.products.slice(0, 3)) {
      const sold = batch.filter((s) => s.items[0].productId === p.id).length;
      expect(await stockOf(t.dataSource, shop.shopId, p.id)).toBe(p.stock - sold);
      expect(await ledgerSum(t.dataSource, shop.shopId, p.id)).toBe(p.stock - sold);
    }
  });

  it("loses no stock update when many tills sell the same product at once", async () => {
    const shop = await t.seed();
    const p = shop.products[0];
    const answers = await Promise.all(
      Array.from({ length: 30 }, () =>
        transport.sync(t.url, authHeaders(shop.tokens.cashier, shop.shopId), [saleOf(shop, { items: [{ productId: p.id, quantity: 3, price: p.price }], totalAmount: p.price * 3 })]),
      ),
    );
    expect(answers.every((a) => a.synced[0]?.status === "created")).toBe(true);
    expect(await stockOf(t.dataSource, shop.shopId, p.id)).toBe(p.stock - 90);
  });

  it("answers a retry that overlaps the still-running original with the original's ids and writes each sale once", async () => {
    const shop = await t.seed();
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    const batch = Array.from({ length: 300 }, () => saleOf(shop));
    // On PostgreSQL the original is held mid-transaction by a row lock until the retry has arrived.
    const url = process.env.TEST_DATABASE_URL;
    const lock = url ? await lockProduct(url, shop.shopId, shop.products[0].id) : undefined;
    const original = transport.sync(t.url, headers, batch);
    if (lock) await lock.waitForBlockedBackend();
    else await new Promise((r) => setTimeout(r, 5));
    const retry = transport.sync(t.url, headers, batch);
    await new Promise((r) => setTimeout(r, 100));
    await lock?.release();
    const [a, b] = await Promise.all([original, retry]);
    // Whichever commits first creates a sale; the other answers existing with the same ids.
    a.synced.forEach((s, i) => {
      const other = b.synced[i];
      expect([s.status, other.status].sort()).toEqual(["created", "existing"]);
      expect({ serverId: other.serverId, orderId: other.orderId }).toEqual({ serverId: s.serverId, orderId: s.orderId });
    });
    if (lock) expect(a.synced.every((s) => s.status === "created")).toBe(true);
    expect(await countRows(t.dataSource, "sales", shop.shopId)).toBe(300);
  });
});
