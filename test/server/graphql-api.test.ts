import { randomUUID } from "node:crypto";
import { ledgerSum, stockOf } from "../support/database";
import { saleOf } from "../support/sales";
import { type TestServer, startTestServer } from "../support/test-server";
import { authHeaders, gql, graphql } from "../support/transports";

/** What a POS frontend reads and writes besides the sync itself. */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

async function setup() {
  const shop = await t.seed();
  const headers = authHeaders(shop.tokens.owner, shop.shopId);
  const query = <T>(q: string, v: Record<string, unknown> = {}) => gql<T>(t.url, headers, q, v);
  return { shop, headers, query };
}

describe("GraphQL API for POS frontends", () => {
  it("lists the shop's products with stock and finds them by name or SKU", async () => {
    const { shop, query } = await setup();
    const all = await query<{ products: { id: string; stock: number; price: number }[] }>("{ products { id name sku price stock lowStockThreshold } }");
    expect(all.data?.products.map((p) => p.id).sort()).toEqual(shop.products.map((p) => p.id).sort());
    const found = await query<{ products: { sku: string }[] }>('{ products(search: "mug") { sku } }');
    expect(found.data?.products).toEqual([{ sku: "MUG-01" }]);
  });

  it("returns null for another shop's product instead of leaking it", async () => {
    const { shop, query } = await setup();
    const res = await query<{ product: unknown }>("query($id: ID!) { product(id: $id) { id } }", { id: shop.otherShop.productId });
    expect(res.errors).toBeUndefined();
    expect(res.data?.product).toBeNull();
  });

  it("shows a synced sale with its order number, lines, products and customer", async () => {
    const { shop, headers, query } = await setup();
    const sale = saleOf(shop, { customerId: shop.customerId });
    const synced = await graphql.sync(t.url, headers, [sale]);
    const res = await query<{ sale: Record<string, unknown> }>(
      `query($id: ID!) { sale(id: $id) { id orderId clientTempId totalAmount needsReview customer { id } items { product { id } quantity price discountPercent lineTotal } } }`,
      { id: synced.synced[0].serverId },
    );
    expect(res.data?.sale).toEqual({
      id: synced.synced[0].serverId,
      orderId: synced.synced[0].orderId,
      clientTempId: sale.clientTempId,
      totalAmount: sale.totalAmount,
      needsReview: false,
      customer: { id: shop.customerId },
      items: [{ product: { id: shop.products[0].id }, quantity: 2, price: shop.products[0].price, discountPercent: 0, lineTotal: sale.totalAmount }],
    });
  });

  it("pages sales newest first with a cursor", async () => {
    const { shop, headers, query } = await setup();
    const days = ["2024-01-01", "2024-01-03", "2024-01-02"].map((d) => saleOf(shop, { createdAt: `${d}T12:00:00Z` }));
    await graphql.sync(t.url, headers, days);
    type Page = { sales: { items: { createdAt: string }[]; nextCursor: string | null } };
    const first = await query<Page>("{ sales(first: 2) { items { createdAt } nextCursor } }");
    expect(first.data?.sales.items.map((s) => s.createdAt)).toEqual(["2024-01-03T12:00:00.000Z", "2024-01-02T12:00:00.000Z"]);
    const second = await query<Page>("query($after: String) { sales(first: 2, after: $after) { items { createdAt } nextCursor } }", { after: first.data?.sales.nextCursor });
    expect(second.data?.sales.items.map((s) => s.createdAt)).toEqual(["2024-01-01T12:00:00.000Z"]);
    expect(second.data?.sales.nextCursor).toBeNull();
  });

  it("rejects a cursor it did not issue with BAD_REQUEST", async () => {
    const { query } = await setup();
    const res = await query('{ sales(after: "garbage") { items { id } } }');
    expect(res.errors?.[0].extensions?.code).toBe("BAD_REQUEST");
  });

  it("lists low-stock notifications with their product and marks them read", async () => {
    const { shop, headers, query } = await setup();
    const mug = shop.products[2];
    await graphql.sync(t.url, headers, [saleOf(shop, { items: [{ productId: mug.id, quantity: 4, price: mug.price }], totalAmount: mug.price * 4 })]);
    type N = { notifications: { id: string; type: string; stock: number; product: { id: string } }[] };
    const unread = await query<N>("{ notifications(unreadOnly: true) { id type stock product { id } } }");
    expect(unread.data?.notifications).toEqual([{ id: expect.any(String), type: "LOW_STOCK", stock: -1, product: { id: mug.id } }]);
    const marked = await query<{ markNotificationRead: { readAt: string } }>("mutation($id: ID!) { markNotificationRead(id: $id) { readAt } }", { id: unread.data?.notifications[0].id });
    expect(marked.data?.markNotificationRead.readAt).toEqual(expect.any(String));
    const after = await query<N>("{ notifications(unreadOnly: true) { id } }");
    expect(after.data?.notifications).toEqual([]);
    // The next low-stock sale opens a new unread notification.
    await graphql.sync(t.url, headers, [saleOf(shop, { items: [{ productId: mug.id, quantity: 1, price: mug.price }], totalAmount: mug.price })]);
    const again = await query<N>("{ notifications(unreadOnly: true) { stock } }");
    expect(again.data?.notifications).toEqual([{ stock: -2 }]);
  });

  it("adjusts inventory atomically with a ledger row", async () => {
    const { shop, query } = await setup();
    const p = shop.products[1];
    const res = await query<{ adjustInventory: { stock: number } }>(
      'mutation($p: ID!) { adjustInventory(productId: $p, delta: 12, reason: "delivery") { stock } }',
      { p: p.id },
    );
    expect(res.data?.adjustInventory.stock).toBe(p.stock + 12);
    expect(await ledgerSum(t.dataSource, shop.shopId, p.id)).toBe(p.stock + 12);
  });

  it("refuses to adjust another shop's product with NOT_FOUND and a zero delta with BAD_USER_INPUT", async () => {
    const { shop, query } = await setup();
    const foreign = await query('mutation($p: ID!) { adjustInventory(productId: $p, delta: 1, reason: "x") { stock } }', { p: shop.otherShop.productId });
    expect(foreign.errors?.[0].extensions?.code).toBe("NOT_FOUND");
    expect(await stockOf(t.dataSource, shop.otherShop.shopId, shop.otherShop.productId)).toBe(shop.products[0].stock);
    const zero = await query('mutation($p: ID!) { adjustInventory(productId: $p, delta: 0, reason: "x") { stock } }', { p: shop.products[0].id });
    expect(zero.errors?.[0]).toMatchObject({ message: expect.stringContaining("delta"), extensions: { code: "BAD_USER_INPUT" } });
  });

  it("creates a product whose opening stock is in the ledger, and refuses a duplicate SKU", async () => {
    const { shop, query } = await setup();
    const sku = `SKU-${randomUUID().slice(0, 6)}`;
    const created = await query<{ createProduct: { id: string; price: number; stock: number } }>(
      "mutation($sku: String!) { createProduct(input: {name: \"Tea\", sku: $sku, price: 3.5, stock: 7, lowStockThreshold: 2}) { id price stock } }",
      { sku },
    );
    expect(created.data?.createProduct).toMatchObject({ price: 3.5, stock: 7 });
    expect(await ledgerSum(t.dataSource, shop.shopId, created.data!.createProduct.id)).toBe(7);
    const dup = await query("mutation($sku: String!) { createProduct(input: {name: \"Tea\", sku: $sku, price: 3.5}) { id } }", { sku });
    expect(dup.errors?.[0]).toMatchObject({ message: expect.stringContaining("sku"), extensions: { code: "CONFLICT" } });
    const badPrice = await query('mutation { createProduct(input: {name: "T", sku: "P-3", price: 1.234}) { id } }');
    expect(badPrice.errors?.[0]).toMatchObject({ message: expect.stringContaining("price"), extensions: { code: "BAD_USER_INPUT" } });
  });

  it("creates and lists customers", async () => {
    const { shop, query } = await setup();
    const created = await query<{ createCustomer: { id: string } }>('mutation { createCustomer(input: {name: "Grace", email: "grace@example.com"}) { id } }');
    const list = await query<{ customers: { id: string }[] }>("{ customers { id name email } }");
    expect(list.data?.customers.map((c) => c.id).sort()).toEqual([shop.customerId, created.data!.createCustomer.id].sort());
  });

  it("loads a page of sales with their lines, products and customers in a constant number of queries", async () => {
    const { shop, headers, query } = await setup();
    await graphql.sync(t.url, headers, Array.from({ length: 30 }, () => saleOf(shop, { customerId: shop.customerId })));
    const logger = t.dataSource.logger as unknown as { logQuery: (q: string) => void };
    const original = logger.logQuery.bind(logger);
    let queries = 0;
    logger.logQuery = (q: string) => {
      if (!/^(START|COMMIT|ROLLBACK)/i.test(q)) queries++;
      original(q);
    };
    try {
      const res = await query("{ sales(first: 30) { items { id customer { id } items { product { id name } } } } }");
      expect(res.errors).toBeUndefined();
    } finally {
      logger.logQuery = original;
    }
    // membership + sales + items + products + customers
    expect(queries).toBeLessThanOrEqual(5);
  });
});

describe("health", () => {
  it("answers /healthz and /readyz when the database is reachable", async () => {
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
  });
});
