import type { SeededShops } from "../../server/src/demo/seed";
import { saleOf } from "../support/sales";
import { type TestServer, startTestServer } from "../support/test-server";
import { TRANSPORTS, authHeaders, gql } from "../support/transports";
import { FEEDS, archiveProduct, ownerHeaders, pullAll } from "./catalog-support";

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

describe("archiveProduct", () => {
  it("keeps the row: gone from products, still answered by product(id) with archivedAt, idempotent", async () => {
    const headers = ownerHeaders(shop);
    const mug = shop.products[2];
    const first = await archiveProduct(t, headers, mug.id);
    expect(first.errors).toBeUndefined();
    const archivedAt = first.data!.archiveProduct.archivedAt!;
    expect(Date.parse(archivedAt)).toBeGreaterThan(Date.now() - 60_000);
    const again = await archiveProduct(t, headers, mug.id);
    expect(again.data!.archiveProduct.archivedAt).toBe(archivedAt);

    const listed = await gql<{ products: { id: string }[] }>(t.url, headers, `{ products { id } }`);
    expect(listed.data!.products.map((p) => p.id)).not.toContain(mug.id);
    expect(listed.data!.products).toHaveLength(shop.products.length - 1);
    const one = await gql<{ product: { id: string; archivedAt: string | null; stock: number } }>(t.url, headers, `query($id: ID!) { product(id: $id) { id archivedAt stock } }`, {
      id: mug.id,
    });
    expect(one.data!.product).toEqual({ id: mug.id, archivedAt, stock: mug.stock });
  });

  it("answers NOT_FOUND for another shop's product and an unknown id, and FORBIDDEN for a cashier", async () => {
    for (const id of [shop.otherShop.productId, "5e5e0000-0000-4000-8000-00000000ffff", "nope"]) {
      const res = await archiveProduct(t, ownerHeaders(shop), id);
      expect(res.errors?.[0]).toMatchObject({ extensions: { code: "NOT_FOUND" } });
    }
    const other = await gql<{ product: { archivedAt: string | null } }>(t.url, authHeaders(shop.otherShop.tokens.cashier, shop.otherShop.shopId), `query($id: ID!) { product(id: $id) { archivedAt } }`, {
      id: shop.otherShop.productId,
    });
    expect(other.data!.product.archivedAt).toBeNull();
    const cashier = await archiveProduct(t, authHeaders(shop.tokens.cashier, shop.shopId), shop.products[0].id);
    expect(cashier.errors?.[0]).toMatchObject({ extensions: { code: "FORBIDDEN" } });
  });
});

describe.each(FEEDS)("archived products in the feed over $name", (feed) => {
  it("are tombstones in archived, not products, once per page", async () => {
    const headers = ownerHeaders(shop);
    const start = await pullAll(feed, t.url, headers);
    await archiveProduct(t, headers, shop.products[3].id);
    await archiveProduct(t, headers, shop.products[3].id);
    const delta = await pullAll(feed, t.url, headers, start.cursor);
    expect(delta.archived).toEqual([{ id: shop.products[3].id, kind: "PRODUCT" }]);
    expect(delta.products).toEqual([]);

    const fresh = await pullAll(feed, t.url, headers);
    expect(fresh.products.map((p) => p.id)).not.toContain(shop.products[3].id);
    expect(fresh.archived).toEqual([{ id: shop.products[3].id, kind: "PRODUCT" }]);
  });
});

describe.each(TRANSPORTS)("a late sale of an archived product over $name", (transport) => {
  it("is recorded with a warning (it existed when it was sold), the stock taken; a product that never existed is still refused", async () => {
    const headers = ownerHeaders(shop);
    const mug = shop.products[2];
    await archiveProduct(t, headers, mug.id);
    const sale = saleOf(shop, { items: [{ productId: mug.id, quantity: 1, price: mug.price }], totalAmount: mug.price });
    const answer = await transport.sync(t.url, headers, [sale]);
    expect(answer.errors).toEqual([]);
    expect(answer.synced[0]).toMatchObject({ status: "created", warnings: [expect.stringMatching(new RegExp(`Product ${mug.id} was archived .*recorded`))] });
    const stored = await gql<{ sale: { needsReview: boolean } ; product: { stock: number } }>(
      t.url,
      headers,
      `query($id: ID!, $p: ID!) { sale(id: $id) { needsReview } product(id: $p) { stock } }`,
      { id: answer.synced[0].serverId, p: mug.id },
    );
    expect(stored.data).toEqual({ sale: { needsReview: false }, product: { stock: mug.stock - 1 } });

    const ghost = "5e5e0000-0000-4000-8000-00000000dead";
    const refused = await transport.sync(t.url, headers, [saleOf(shop, { items: [{ productId: ghost, quantity: 1, price: 1 }], totalAmount: 1 })]);
    expect(refused.errors).toEqual([expect.objectContaining({ error: `Product ${ghost} not found` })]);
  });
});
