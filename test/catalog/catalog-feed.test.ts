import type { SeededShops } from "../../server/src/demo/seed";
import { saleOf } from "../support/sales";
import { type TestServer, startTestServer } from "../support/test-server";
import { authHeaders, gql, rest } from "../support/transports";
import { FEEDS, ownerHeaders, pullAll, updateProduct } from "./catalog-support";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

describe.each(FEEDS)("the catalogue feed over $name", (feed) => {
  let shop: SeededShops;
  beforeEach(async () => {
    shop = await t.seed();
  });

  it("answers the whole catalogue without since, paged, then only what changed after the cursor", async () => {
    const headers = ownerHeaders(shop);
    const full = await pullAll(feed, t.url, headers, null, 2);
    expect(full.pages.length).toBeGreaterThanOrEqual(3);
    expect(full.pages.slice(0, -1).every((p) => p.hasMore && p.products.length + p.customers.length === 2)).toBe(true);
    expect(full.products.map((p) => p.id).sort()).toEqual(shop.products.map((p) => p.id).sort());
    expect(full.customers.map((c) => c.id)).toContain(shop.customerId);
    const mug = full.products.find((p) => p.id === shop.products[2].id)!;
    expect(mug).toEqual({ id: shop.products[2].id, name: "Ceramic mug", sku: "MUG-01", price: 12, stock: 3, lowStockThreshold: 2, archivedAt: null });

    const nothing = await feed.pull(t.url, headers, full.cursor);
    expect(nothing).toMatchObject({ status: 200, products: [], customers: [], archived: [], hasMore: false });

    const sale = saleOf(shop, { items: [{ productId: shop.products[0].id, quantity: 3, price: shop.products[0].price }], totalAmount: 47.97 });
    expect((await rest.sync(t.url, headers, [sale])).synced).toHaveLength(1);
    await updateProduct(t, headers, shop.products[1].id, { price: 2.79 });
    const delta = await pullAll(feed, t.url, headers, nothing.cursor);
    expect(delta.products.map((p) => [p.id, p.stock, p.price]).sort()).toEqual(
      [
        [shop.products[0].id, shop.products[0].stock - 3, shop.products[0].price],
        [shop.products[1].id, shop.products[1].stock, 2.79],
      ].sort(),
    );
    expect(delta.customers).toEqual([]);

    const created = await gql<{ createCustomer: { id: string } }>(t.url, headers, `mutation { createCustomer(input: { name: "Ada", email: "ada@example.com" }) { id } }`);
    const later = await feed.pull(t.url, headers, delta.cursor);
    expect(later).toMatchObject({ products: [], customers: [{ id: created.data!.createCustomer.id, name: "Ada", email: "ada@example.com", phone: null }], hasMore: false });
  });

  it("carries a product once per page after a busy hour of sales, with the server's stock", async () => {
    const headers = ownerHeaders(shop);
    const start = await pullAll(feed, t.url, headers);
    const [beans, milk] = shop.products;
    for (let batch = 0; batch < 4; batch++) {
      const sales = Array.from({ length: 50 }, () =>
        saleOf(shop, {
          items: [
            { productId: beans.id, quantity: 1, price: beans.price },
            { productId: milk.id, quantity: 2, price: milk.price },
          ],
          totalAmount: Math.round((beans.price + 2 * milk.price) * 100) / 100,
        }),
      );
      expect((await rest.sync(t.url, headers, sales)).synced).toHaveLength(50);
    }
    const delta = await feed.pull(t.url, headers, start.cursor);
    expect(delta.hasMore).toBe(false);
    expect(delta.products.map((p) => p.id).sort()).toEqual([beans.id, milk.id].sort());
    expect(delta.products.find((p) => p.id === beans.id)!.stock).toBe(beans.stock - 200);
    expect(delta.products.find((p) => p.id === milk.id)!.stock).toBe(milk.stock - 400);
  });

  it("never answers another shop's catalogue, and refuses another shop's cursor and a forged one", async () => {
    const mine = await pullAll(feed, t.url, ownerHeaders(shop));
    const ids = [...mine.products, ...mine.customers].map((r) => r.id);
    expect(ids).not.toContain(shop.otherShop.productId);
    expect(ids).not.toContain(shop.otherShop.customerId);

    const otherHeaders = authHeaders(shop.otherShop.tokens.cashier, shop.otherShop.shopId);
    const theirs = await pullAll(feed, t.url, otherHeaders);
    expect(theirs.products.map((p) => p.id)).toEqual([shop.otherShop.productId]);
    expect(theirs.products.map((p) => p.id)).not.toEqual(expect.arrayContaining([shop.products[0].id]));

    for (const since of [mine.cursor, `${theirs.cursor.slice(0, -2)}AA`, "not-a-cursor", "x".repeat(300)]) {
      const refused = await feed.pull(t.url, otherHeaders, since);
      expect(refused.status).toBe(400);
      expect(refused.failure).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("since") });
    }
  });

  it("refuses a page size outside 1..1000 naming the field", async () => {
    const field = feed.name === "rest" ? "limit" : "first";
    for (const limit of [0, 1001, 2.5]) {
      const refused = await feed.pull(t.url, ownerHeaders(shop), null, limit);
      // GraphQL answers an argument its resolver refuses with 200 and the error, like every other field.
      if (feed.name === "rest" || limit === 2.5) expect(refused.status).toBe(400);
      expect(refused.failure).toMatchObject({ code: "BAD_USER_INPUT", message: expect.stringContaining(field) });
    }
  });

  it("is read by a till and a viewer, and refused without a token", async () => {
    const viewer = await feed.pull(t.url, authHeaders(shop.tokens.viewer, shop.shopId));
    expect(viewer.status).toBe(200);
    expect(viewer.products).toHaveLength(shop.products.length);
    const anonymous = await feed.pull(t.url, authHeaders(undefined, shop.shopId));
    expect(anonymous.failure?.code).toBe("UNAUTHENTICATED");
  });
});

describe("GET /api/pos/catalog query validation", () => {
  it("names limit when it is not a number, and reads the legacy template ?since=&limit= as a first pull", async () => {
    const shop = await t.seed();
    const res = await fetch(`${t.url}/api/pos/catalog?limit=abc`, { headers: ownerHeaders(shop) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "BAD_USER_INPUT", error: expect.stringContaining("limit") });
    const template = await fetch(`${t.url}/api/pos/catalog?since=&limit=`, { headers: ownerHeaders(shop) });
    expect(template.status).toBe(200);
    expect(((await template.json()) as { products: unknown[] }).products).toHaveLength(shop.products.length);
    const twice = await fetch(`${t.url}/api/pos/catalog?since=a&since=b`, { headers: ownerHeaders(shop) });
    expect(twice.status).toBe(400);
    expect(await twice.json()).toMatchObject({ error: expect.stringContaining("since") });
  });
});
