import { Client } from "pg";
import type { SeededShops } from "../../server/src/demo/seed";
import { saleOf } from "../support/sales";
import { type TestServer, startTestServer, usingRealPostgres } from "../support/test-server";
import { rest } from "../support/transports";
import { FEEDS, ownerHeaders, pullAll, updateProduct } from "./catalog-support";

/**
 * The classic way a change feed loses a change: a writer takes its position, a later writer commits
 * first, a reader's cursor passes both, and the first writer's change (behind the cursor) is never
 * handed out. A writing transaction is held open here, on its own connection, while a reader pages.
 * PGlite is a single session (no reader can run beside an open writer), so this runs on real PostgreSQL.
 */
const onPostgres = usingRealPostgres ? describe : describe.skip;

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

async function openWriter(): Promise<Client> {
  const client = new Client({ connectionString: process.env.TEST_DATABASE_URL, statement_timeout: 10_000 });
  await client.connect();
  await client.query("BEGIN");
  return client;
}

onPostgres.each(FEEDS)("a writing transaction held open while a reader pages, over $name", (feed) => {
  it("the reader does not pass the open change, not even with a later change committed; after commit the next page has both", async () => {
    const headers = ownerHeaders(shop);
    const [beans, milk] = shop.products;
    const start = await pullAll(feed, t.url, headers);
    const writer = await openWriter();
    try {
      // The open writer's change is the earlier one: it has its transaction id before the next one commits.
      await writer.query(`UPDATE products SET price_cents = 1799 WHERE shop_id = $1 AND id = $2`, [shop.shopId, beans.id]);
      await updateProduct(t, headers, milk.id, { price: 2.99 });
      const sale = saleOf(shop, { items: [{ productId: milk.id, quantity: 1, price: 2.99 }], totalAmount: 2.99, createdAt: new Date().toISOString() });
      expect((await rest.sync(t.url, headers, [sale])).synced).toHaveLength(1);

      const during = await feed.pull(t.url, headers, start.cursor);
      expect(during).toMatchObject({ status: 200, products: [], hasMore: false });
      const stillDuring = await feed.pull(t.url, headers, during.cursor);
      expect(stillDuring.products).toEqual([]);

      await writer.query("COMMIT");
      const after = await pullAll(feed, t.url, headers, stillDuring.cursor);
      expect(after.products.map((p) => [p.id, p.price, p.stock]).sort()).toEqual(
        [
          [beans.id, 17.99, beans.stock],
          [milk.id, 2.99, milk.stock - 1],
        ].sort(),
      );
      expect((await feed.pull(t.url, headers, after.cursor)).products).toEqual([]);
    } finally {
      await writer.query("ROLLBACK").catch(() => undefined);
      await writer.end();
    }
  });

  it("a rolled-back writer's change never appears, and the changes committed meanwhile come once it ends", async () => {
    const headers = ownerHeaders(shop);
    const [beans, milk] = shop.products;
    const start = await pullAll(feed, t.url, headers);
    const writer = await openWriter();
    try {
      await writer.query(`UPDATE products SET name = 'never' WHERE shop_id = $1 AND id = $2`, [shop.shopId, beans.id]);
      await updateProduct(t, headers, milk.id, { name: "Oat milk 1 l" });
      expect((await feed.pull(t.url, headers, start.cursor)).products).toEqual([]);
      await writer.query("ROLLBACK");
      const after = await pullAll(feed, t.url, headers, start.cursor);
      expect(after.products.map((p) => [p.id, p.name])).toEqual([[milk.id, "Oat milk 1 l"]]);
    } finally {
      await writer.end();
    }
  });
});

if (!usingRealPostgres) {
  it("runs the in-flight tests only on real PostgreSQL (set TEST_DATABASE_URL)", () => {
    expect(usingRealPostgres).toBe(false);
  });
}
