import type { SeededShops } from "../../server/src/demo/seed";
import { CATALOG_PAGE_SQL } from "../../server/src/catalog/catalog-feed.service";
import { type TestServer, startTestServer, usingRealPostgres } from "../support/test-server";

/**
 * The plan of a feed page for a shop of 50,000 products, checked with EXPLAIN: a delta page (and
 * the first page of a full pull) is a range scan of the (shop_id, change_xid, id) indexes, never a
 * scan of the shop's products (nor of its 10,000 customers, the other side of the page).
 */
type PlanNode = { "Node Type": string; "Index Name"?: string; "Relation Name"?: string; Plans?: PlanNode[] };
const SHOP_SIZE = 50_000;
const NIL = "00000000-0000-0000-0000-000000000000";
const MAX = "ffffffff-ffff-ffff-ffff-ffffffffffff";

let t: TestServer;
let shop: SeededShops;
beforeAll(async () => {
  t = await startTestServer();
  shop = await t.seed();
  await t.dataSource.query(
    `INSERT INTO products (shop_id, id, name, sku, price_cents, stock, low_stock_threshold)
     SELECT $1, gen_random_uuid(), 'Product ' || g, 'BULK-' || g, 100 + g % 5000, 10, 2 FROM generate_series(1, $2::int) g`,
    [shop.shopId, SHOP_SIZE],
  );
  await t.dataSource.query(
    `INSERT INTO customers (shop_id, id, name, email) SELECT $1, gen_random_uuid(), 'Customer ' || g, 'c' || g || '@example.com' FROM generate_series(1, $2::int) g`,
    [shop.shopId, SHOP_SIZE / 5],
  );
  // Later changes of a few products: a delta after them starts past the bulk load.
  await t.dataSource.query(`UPDATE products SET stock = stock - 1 WHERE shop_id = $1 AND sku IN ('BULK-7', 'BULK-70', 'BULK-700')`, [shop.shopId]);
  await t.dataSource.query(`ANALYZE products`);
  await t.dataSource.query(`ANALYZE customers`);
}, 120_000);
afterAll(async () => {
  await t.close();
});

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

async function planOf(xid: string, kind: "c" | "p", id: string, first = 500): Promise<PlanNode[]> {
  // The service's bounds: after the id on the position's own side, all of the xid on products when the position is a customer.
  const [customerBound, productBound] = kind === "c" ? [id, NIL] : [MAX, id];
  const rows = await t.dataSource.query<{ "QUERY PLAN": unknown }[]>(`EXPLAIN (FORMAT JSON) ${CATALOG_PAGE_SQL}`, [
    shop.shopId,
    xid,
    customerBound,
    xid,
    productBound,
    first + 1,
  ]);
  const raw = rows[0]["QUERY PLAN"];
  const plan = (typeof raw === "string" ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
  return nodesOf(plan[0].Plan);
}

function expectIndexRangeScans(nodes: PlanNode[]): void {
  const scans = nodes.filter((n) => n["Relation Name"] === "products" || n["Relation Name"] === "customers");
  expect(scans.map((n) => n["Node Type"]).every((type) => type === "Index Scan" || type === "Index Only Scan")).toBe(true);
  expect(scans.map((n) => n["Index Name"]).sort()).toEqual(["customers_changes", "products_changes"]);
}

describe(`EXPLAIN of a catalogue page for a shop of ${SHOP_SIZE} products (${usingRealPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("a delta page after a few changes is an index range scan on products_changes", async () => {
    const [last] = await t.dataSource.query<{ xid: string; id: string }[]>(
      `SELECT change_xid::text AS xid, id::text AS id FROM products WHERE shop_id = $1 AND sku = 'BULK-1'`,
      [shop.shopId],
    );
    expectIndexRangeScans(await planOf(last.xid, "p", last.id));
  });

  it("a page from the middle of the bulk-loaded products (one transaction id, paged by id) is an index range scan too", async () => {
    const [middle] = await t.dataSource.query<{ xid: string; id: string }[]>(
      `SELECT change_xid::text AS xid, id::text AS id FROM products WHERE shop_id = $1 ORDER BY change_xid, id OFFSET $2 LIMIT 1`,
      [shop.shopId, SHOP_SIZE / 2],
    );
    expectIndexRangeScans(await planOf(middle.xid, "p", middle.id, 1000));
  });

  it("the first page of a full pull reads the index in order, never the whole shop", async () => {
    expectIndexRangeScans(await planOf("0", "c", NIL));
  });
});
