import { randomUUID } from "node:crypto";
import { countRows, ledgerSum, saleRowsFor, shopTotals, stockOf } from "../support/database";
import { saleOf } from "../support/sales";
import { type TestServer, startTestServer } from "../support/test-server";
import { TRANSPORTS, authHeaders } from "../support/transports";

/** The conflict policy of the seed spec, written once and run through both transports. */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

describe.each(TRANSPORTS)("sync policy over $name", (transport) => {
  async function setup() {
    const shop = await t.seed();
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    return { shop, headers, sync: (sales: unknown) => transport.sync(t.url, headers, sales) };
  }

  it("creates a new sale with its items, stock decrement, ledger rows and idempotency mapping", async () => {
    const { shop, sync } = await setup();
    const [beans, milk] = shop.products;
    const sale = saleOf(shop, {
      items: [
        { productId: beans.id, quantity: 2, price: 15.99 },
        { productId: milk.id, quantity: 3, price: 2.49, discountPercent: 10 },
      ],
      totalAmount: 38.7,
      customerId: shop.customerId,
      createdAt: "2024-01-15T10:30:00+02:00",
    });
    const answer = await sync([sale]);
    expect(answer.httpStatus).toBe(200);
    expect(answer.errors).toEqual([]);
    expect(answer.synced).toEqual([
      { clientTempId: sale.clientTempId, serverId: expect.any(String), orderId: expect.stringMatching(/^ORD-[A-Z0-9]{6}-[A-Z0-9]{3}$/), status: "created", warnings: [] },
    ]);
    const [row] = await saleRowsFor(t.dataSource, shop.shopId, sale.clientTempId);
    expect(row).toMatchObject({ id: answer.synced[0].serverId, order_id: answer.synced[0].orderId, customer_id: shop.customerId, total_cents: 3870, needs_review: false });
    expect(new Date(row.sold_at).toISOString()).toBe("2024-01-15T08:30:00.000Z");
    const items = await t.dataSource.query(
      `SELECT product_id::text AS product_id, quantity, unit_price_cents::int AS price, discount_percent::float AS discount, line_total_cents::int AS line
         FROM sale_items WHERE shop_id = $1 AND sale_id = $2 ORDER BY position`,
      [shop.shopId, row.id],
    );
    expect(items).toEqual([
      { product_id: beans.id, quantity: 2, price: 1599, discount: 0, line: 3198 },
      { product_id: milk.id, quantity: 3, price: 249, discount: 10, line: 672 },
    ]);
    expect(await stockOf(t.dataSource, shop.shopId, beans.id)).toBe(beans.stock - 2);
    expect(await stockOf(t.dataSource, shop.shopId, milk.id)).toBe(milk.stock - 3);
    expect(await ledgerSum(t.dataSource, shop.shopId, milk.id)).toBe(milk.stock - 3);
    const [mapping] = await t.dataSource.query(
      `SELECT sale_id::text AS sale_id, fingerprint FROM offline_sale_syncs WHERE shop_id = $1 AND client_temp_id = $2`,
      [shop.shopId, sale.clientTempId],
    );
    expect(mapping).toEqual({ sale_id: row.id, fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it("returns existing with the same serverId and orderId for a replayed clientTempId and writes nothing", async () => {
    const { shop, sync } = await setup();
    const sale = saleOf(shop);
    const first = await sync([sale]);
    const before = await shopTotals(t.dataSource, shop.shopId);
    const again = await sync([sale]);
    expect(again.synced).toEqual([{ ...first.synced[0], status: "existing" }]);
    expect(await shopTotals(t.dataSource, shop.shopId)).toEqual(before);
    expect(await stockOf(t.dataSource, shop.shopId, shop.products[0].id)).toBe(shop.products[0].stock - 2);
  });

  it("treats a replay with reordered keys, normalised numbers and the default discount as the same sale", async () => {
    const { shop, sync } = await setup();
    const p = shop.products[0];
    const clientTempId = randomUUID();
    const first = await sync([{ clientTempId, items: [{ productId: p.id, quantity: 1, price: 16 }], totalAmount: 16, createdAt: "2024-01-15T10:30:00Z" }]);
    const replay = await sync([
      { createdAt: "2024-01-15T10:30:00.000Z", totalAmount: 16.0, items: [{ discountPercent: 0, price: 16.0, quantity: 1, productId: p.id.toUpperCase() }], clientTempId: clientTempId.toUpperCase() },
    ]);
    expect(replay.errors).toEqual([]);
    expect(replay.synced[0]).toMatchObject({ serverId: first.synced[0].serverId, status: "existing" });
    // Answered with the id exactly as this till sent it, so a case-preserving client can match it.
    expect(replay.synced[0].clientTempId).toBe(clientTempId.toUpperCase());
  });

  it("answers created then existing for the same clientTempId twice in one batch", async () => {
    const { shop, sync } = await setup();
    const sale = saleOf(shop);
    const answer = await sync([sale, sale]);
    expect(answer.synced.map((s) => s.status)).toEqual(["created", "existing"]);
    expect(answer.synced[1].serverId).toBe(answer.synced[0].serverId);
    expect(await countRows(t.dataSource, "sales", shop.shopId)).toBe(1);
  });

  it("rejects a reused clientTempId with a different payload and leaves the original untouched", async () => {
    const { shop, sync } = await setup();
    const sale = saleOf(shop);
    const first = await sync([sale]);
    const changed = { ...sale, items: [{ ...sale.items[0], quantity: 5 }], totalAmount: sale.items[0].price * 5 };
    const answer = await sync([changed]);
    expect(answer.synced).toEqual([]);
    expect(answer.errors).toEqual([{ clientTempId: sale.clientTempId, error: expect.stringContaining(`clientTempId ${sale.clientTempId} was already used for a different sale`), retryable: false }]);
    const rows = await saleRowsFor(t.dataSource, shop.shopId, sale.clientTempId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: first.synced[0].serverId, total_cents: Math.round(sale.totalAmount * 100) });
    expect(await stockOf(t.dataSource, shop.shopId, shop.products[0].id)).toBe(shop.products[0].stock - 2);
  });

  it("rejects the second of two different sales sharing a clientTempId in one batch", async () => {
    const { shop, sync } = await setup();
    const sale = saleOf(shop);
    const answer = await sync([sale, { ...sale, totalAmount: sale.totalAmount + 1 }]);
    expect(answer.synced).toHaveLength(1);
    expect(answer.errors[0].error).toContain("was already used for a different sale");
    expect(await countRows(t.dataSource, "sales", shop.shopId)).toBe(1);
  });

  it("accepts a sale beyond the stock, lets stock go negative and raises one low-stock notification per product", async () => {
    const { shop, sync } = await setup();
    const mug = shop.products[2]; // stock 3, threshold 2
    const big = saleOf(shop, { items: [{ productId: mug.id, quantity: 5, price: mug.price }], totalAmount: mug.price * 5 });
    const answer = await sync([big]);
    expect(answer.synced[0].status).toBe("created");
    expect(await stockOf(t.dataSource, shop.shopId, mug.id)).toBe(-2);
    const more = saleOf(shop, { items: [{ productId: mug.id, quantity: 1, price: mug.price }], totalAmount: mug.price });
    await sync([more]);
    expect(await stockOf(t.dataSource, shop.shopId, mug.id)).toBe(-3);
    const notes = await t.dataSource.query(
      `SELECT type, stock, read_at FROM notifications WHERE shop_id = $1 AND product_id = $2`,
      [shop.shopId, mug.id],
    );
    expect(notes).toEqual([{ type: "LOW_STOCK", stock: -3, read_at: null }]);
    expect(await ledgerSum(t.dataSource, shop.shopId, mug.id)).toBe(-3);
  });

  it("raises no notification while stock stays above the threshold", async () => {
    const { shop, sync } = await setup();
    await sync([saleOf(shop)]);
    expect(await countRows(t.dataSource, "notifications", shop.shopId)).toBe(0);
  });

  it("rejects a sale with an unknown product with 'Product <id> not found' and writes nothing of it", async () => {
    const { shop, sync } = await setup();
    const ghost = randomUUID();
    const sale = saleOf(shop, { items: [{ productId: shop.products[0].id, quantity: 1, price: 1 }, { productId: ghost, quantity: 1, price: 1 }], totalAmount: 2 });
    const answer = await sync([sale]);
    expect(answer.errors).toEqual([{ clientTempId: sale.clientTempId, error: `Product ${ghost} not found`, retryable: false }]);
    expect(await shopTotals(t.dataSource, shop.shopId)).toEqual({ sales: 0, items: 0, mappings: 0, movements: 0 });
    expect(await stockOf(t.dataSource, shop.shopId, shop.products[0].id)).toBe(shop.products[0].stock);
  });

  it("rejects a product id that is not even a UUID the same way", async () => {
    const { shop, sync } = await setup();
    const sale = saleOf(shop, { items: [{ productId: "xyz", quantity: 1, price: 1 }], totalAmount: 1 });
    const answer = await sync([sale]);
    expect(answer.errors).toEqual([{ clientTempId: sale.clientTempId, error: "Product xyz not found", retryable: false }]);
  });

  it("rejects another shop's product exactly like an unknown one", async () => {
    const { shop, sync } = await setup();
    const foreign = shop.otherShop.productId;
    const sale = saleOf(shop, { items: [{ productId: foreign, quantity: 1, price: 1 }], totalAmount: 1 });
    const answer = await sync([sale]);
    expect(answer.errors).toEqual([{ clientTempId: sale.clientTempId, error: `Product ${foreign} not found`, retryable: false }]);
    expect(await countRows(t.dataSource, "sales", shop.shopId)).toBe(0);
    expect(await stockOf(t.dataSource, shop.otherShop.shopId, foreign)).toBe(shop.products[0].stock);
  });

  it.each([
    ["an unknown customer", () => randomUUID()],
    ["another shop's customer", (s: { otherShop: { customerId: string } }) => s.otherShop.customerId],
    ["a customer id that is not a UUID", () => "walk-in"],
  ])("accepts a sale with %s without the customer and with a warning", async (_label, customerOf) => {
    const { shop, sync } = await setup();
    const customerId = customerOf(shop);
    const sale = saleOf(shop, { customerId });
    const answer = await sync([sale]);
    expect(answer.synced[0]).toMatchObject({ status: "created", warnings: [`Customer ${customerId.toLowerCase()} not found; the sale was recorded without a customer`] });
    const [row] = await saleRowsFor(t.dataSource, shop.shopId, sale.clientTempId);
    expect(row.customer_id).toBeNull();
  });

  it("records a sale whose total differs from its lines by more than a cent and flags it for review", async () => {
    const { shop, sync } = await setup();
    const sale = saleOf(shop, { totalAmount: 1.0 });
    const answer = await sync([sale]);
    expect(answer.synced[0].status).toBe("created");
    expect(answer.synced[0].warnings).toEqual([expect.stringContaining("flagged for review")]);
    const [row] = await saleRowsFor(t.dataSource, shop.shopId, sale.clientTempId);
    expect(row.needs_review).toBe(true);
    expect(row.review_reasons).toEqual([expect.stringContaining("differs from the sum of the lines")]);
  });

  it.each([
    ["a day ahead", new Date(Date.now() + 2 * 86_400_000).toISOString()],
    ["before 2000 (a reset clock)", "1970-01-01T00:00:00Z"],
  ])("records a sale whose createdAt is %s and flags it for review", async (_label, createdAt) => {
    const { shop, sync } = await setup();
    const sale = saleOf(shop, { createdAt });
    const answer = await sync([sale]);
    expect(answer.synced[0]).toMatchObject({ status: "created", warnings: [expect.stringContaining("the till's clock may be wrong")] });
    const [row] = await saleRowsFor(t.dataSource, shop.shopId, sale.clientTempId);
    expect(row.needs_review).toBe(true);
  });

  it("does not flag a total within a cent of its lines, rounding each discounted line to the cent", async () => {
    const { shop, sync } = await setup();
    // At their list prices (issue 12 flags any other): 3 x 12.00 at 12.5% = 31.50 exactly; 1 x 2.49 at 33.33% = 1.660083 -> 1.66
    const [mug, milk] = [shop.products[2], shop.products[1]];
    const sale = saleOf(shop, {
      items: [
        { productId: mug.id, quantity: 3, price: mug.price, discountPercent: 12.5 },
        { productId: milk.id, quantity: 1, price: milk.price, discountPercent: 33.33 },
      ],
      totalAmount: 33.16,
    });
    const answer = await sync([sale]);
    expect(answer.synced[0].warnings).toEqual([]);
    const [row] = await saleRowsFor(t.dataSource, shop.shopId, sale.clientTempId);
    expect(row.needs_review).toBe(false);
    const lines = await t.dataSource.query(`SELECT line_total_cents::int AS c FROM sale_items WHERE shop_id = $1 AND sale_id = $2 ORDER BY position`, [shop.shopId, row.id]);
    expect(lines).toEqual([{ c: 3150 }, { c: 166 }]);
  });

  it("keeps one bad sale from blocking the others and answers in input order", async () => {
    const { shop, sync } = await setup();
    const a = saleOf(shop);
    const bad = saleOf(shop, { items: [{ productId: randomUUID(), quantity: 1, price: 1 }], totalAmount: 1 });
    const invalid = saleOf(shop, { createdAt: "yesterday" });
    const b = saleOf(shop);
    const answer = await sync([a, bad, invalid, b]);
    expect(answer.synced.map((s) => s.clientTempId)).toEqual([a.clientTempId, b.clientTempId]);
    expect(answer.errors.map((e) => e.clientTempId)).toEqual([bad.clientTempId, invalid.clientTempId]);
    expect(await countRows(t.dataSource, "sales", shop.shopId)).toBe(2);
  });

  it("gives each sale of a batch a distinct order number", async () => {
    const { shop, sync } = await setup();
    const answer = await sync(Array.from({ length: 50 }, () => saleOf(shop)));
    expect(new Set(answer.synced.map((s) => s.orderId)).size).toBe(50);
  });
});
