import type { SeededShops } from "../../server/src/demo/seed";
import { saleOf } from "../support/sales";
import { type TestServer, startTestServer } from "../support/test-server";
import { TRANSPORTS, authHeaders, gql } from "../support/transports";
import { ownerHeaders, updateProduct } from "./catalog-support";

let t: TestServer;
let shop: SeededShops;
beforeAll(async () => {
  t = await startTestServer();
});
beforeEach(async () => {
  shop = await t.seed();
});
afterAll(async () => {
  await t.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
type Review = { needsReview: boolean; reviewReasons: string[]; items: { price: number }[] };

async function reviewOf(headers: Record<string, string>, id: string): Promise<Review> {
  const res = await gql<{ sale: Review }>(t.url, headers, `query($id: ID!) { sale(id: $id) { needsReview reviewReasons items { price } } }`, { id });
  if (!res.data?.sale) throw new Error(`sale ${id} not readable: ${JSON.stringify(res.errors)}`);
  return res.data.sale;
}

describe("price history", () => {
  it("keeps every price with when it took effect, oldest first; the seed's price from the product's creation", async () => {
    const headers = ownerHeaders(shop);
    const beans = shop.products[0];
    const before = Date.now();
    await updateProduct(t, headers, beans.id, { price: 16.49 });
    await updateProduct(t, headers, beans.id, { name: "Espresso beans 1 kg" });
    const after = await updateProduct(t, headers, beans.id, { price: 16.99 });
    expect(after.price).toBe(16.99);
    expect(after.priceHistory.map((p) => p.price)).toEqual([15.99, 16.49, 16.99]);
    const [created, first, second] = after.priceHistory.map((p) => Date.parse(p.validFrom));
    expect(created).toBeLessThanOrEqual(before);
    expect(first).toBeGreaterThanOrEqual(before - 1000);
    expect(second).toBeGreaterThan(first);
  });

  it("createProduct sets the first point; updateProduct validates like createProduct and answers NOT_FOUND for another shop's", async () => {
    const headers = ownerHeaders(shop);
    const made = await gql<{ createProduct: { id: string; priceHistory: { price: number }[] } }>(
      t.url,
      headers,
      `mutation { createProduct(input: { name: "Grinder", sku: "GRD-${Date.now()}", price: 89.5, stock: 2 }) { id priceHistory { price } } }`,
    );
    expect(made.data!.createProduct.priceHistory).toEqual([{ price: 89.5 }]);
    const bad = await gql(t.url, headers, `mutation($id: ID!) { updateProduct(id: $id, price: 1.234) { id } }`, { id: made.data!.createProduct.id });
    expect(bad.errors?.[0]).toMatchObject({ message: expect.stringContaining("price"), extensions: { code: "BAD_USER_INPUT" } });
    const foreign = await gql(t.url, headers, `mutation($id: ID!) { updateProduct(id: $id, price: 1) { id } }`, { id: shop.otherShop.productId });
    expect(foreign.errors?.[0]).toMatchObject({ extensions: { code: "NOT_FOUND" } });
    const cashier = await gql(t.url, authHeaders(shop.tokens.cashier, shop.shopId), `mutation($id: ID!) { updateProduct(id: $id, price: 1) { id } }`, {
      id: shop.products[0].id,
    });
    expect(cashier.errors?.[0]).toMatchObject({ extensions: { code: "FORBIDDEN" } });
  });
});

describe.each(TRANSPORTS)("a synced sale's prices over $name", (transport) => {
  it("at the price valid at createdAt is not flagged although the price changed since; at another price it is flagged naming both", async () => {
    const headers = ownerHeaders(shop);
    const mug = shop.products[2];
    await sleep(20);
    const soldWhileOffline = new Date().toISOString();
    await sleep(20);
    await updateProduct(t, headers, mug.id, { price: 14 });
    const line = (price: number) => ({ items: [{ productId: mug.id, quantity: 1, price }], totalAmount: price });

    const old = await transport.sync(t.url, headers, [saleOf(shop, { ...line(12), createdAt: soldWhileOffline })]);
    expect(old.synced[0].warnings).toEqual([]);
    expect(await reviewOf(headers, old.synced[0].serverId)).toMatchObject({ needsReview: false, reviewReasons: [] });

    const now = new Date().toISOString();
    const current = await transport.sync(t.url, headers, [saleOf(shop, { ...line(14), createdAt: now })]);
    expect(current.synced[0].warnings).toEqual([]);

    const stale = await transport.sync(t.url, headers, [saleOf(shop, { ...line(12), createdAt: now })]);
    const reason = `items[0].price 12.00 differs from the list price 14.00 of product ${mug.id} valid at ${now}; recorded at the till's price`;
    expect(stale.synced[0]).toMatchObject({ status: "created", warnings: [`${reason}; the sale was recorded and flagged for review`] });
    expect(await reviewOf(headers, stale.synced[0].serverId)).toEqual({ needsReview: true, reviewReasons: [reason], items: [{ price: 12 }] });

    const before = await transport.sync(t.url, headers, [saleOf(shop, { ...line(14), createdAt: soldWhileOffline })]);
    expect(before.synced[0].warnings).toEqual([expect.stringContaining("differs from the list price 12.00")]);
  });

  it("a sale before the product's first price (a seeded product sold in 2024) is judged by that first price", async () => {
    const headers = ownerHeaders(shop);
    const ok = await transport.sync(t.url, headers, [saleOf(shop)]);
    expect(ok.synced[0].warnings).toEqual([]);
    const wrong = saleOf(shop, { items: [{ productId: shop.products[0].id, quantity: 2, price: 1 }], totalAmount: 2 });
    const flagged = await transport.sync(t.url, headers, [wrong]);
    expect(flagged.synced[0].warnings).toEqual([expect.stringContaining("price 1.00 differs from the list price 15.99")]);
  });
});
