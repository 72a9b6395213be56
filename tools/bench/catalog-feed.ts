import type { DataSource } from "typeorm";
import { MemoryStorage, createPosClient } from "../../client/src";
import { headersOf } from "./http-runs";
import { type Row, fmt } from "./report";
import { type BenchShop, makeSales, seedBenchShop } from "./workload";

/**
 * The catalogue feed (issue 12): a shop of 10,000 products pulled whole by a new till over REST and
 * GraphQL (pages of 1,000), then a delta after 100 changes (50 prices changed by a manager, 50
 * products sold), which must be one round trip under 50 KB.
 */
const CATALOG_PRODUCTS = 10_000;
const PAGE = 1_000;
const TARGET_FULL_MS = 3_000;
const TARGET_DELTA_BYTES = 50 * 1024;
const GRAPHQL_QUERY = `query($since: String, $first: Int) { catalogChanges(since: $since, first: $first) {
  products { id name sku price stock lowStockThreshold archivedAt } customers { id name email phone } archived { id kind } cursor hasMore } }`;

type Pull = { ms: number; bytes: number; roundTrips: number; products: number; cursor: string };
type Page = { products: unknown[]; cursor: string; hasMore: boolean };

async function page(url: string, shop: BenchShop, transport: "rest" | "graphql", since: string | null): Promise<{ page: Page; bytes: number }> {
  const res =
    transport === "rest"
      ? await fetch(`${url}/api/pos/catalog?limit=${PAGE}${since ? `&since=${since}` : ""}`, { headers: headersOf(shop) })
      : await fetch(`${url}/graphql`, { method: "POST", headers: headersOf(shop), body: JSON.stringify({ query: GRAPHQL_QUERY, variables: { since, first: PAGE } }) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`catalogue ${transport} answered ${res.status}: ${text.slice(0, 300)}`);
  const body = JSON.parse(text) as Page & { data?: { catalogChanges: Page } };
  return { page: transport === "rest" ? body : body.data!.catalogChanges, bytes: Buffer.byteLength(text) };
}

async function pull(url: string, shop: BenchShop, transport: "rest" | "graphql", since: string | null = null): Promise<Pull> {
  const started = process.hrtime.bigint();
  const result: Pull = { ms: 0, bytes: 0, roundTrips: 0, products: 0, cursor: since ?? "" };
  for (let more = true; more; ) {
    if (result.roundTrips === 1000) throw new Error("catalogue pull did not end within 1000 pages");
    const answer = await page(url, shop, transport, result.cursor || null);
    result.bytes += answer.bytes;
    result.roundTrips += 1;
    result.products += answer.page.products.length;
    result.cursor = answer.page.cursor;
    more = answer.page.hasMore;
  }
  result.ms = Number(process.hrtime.bigint() - started) / 1e6;
  return result;
}

/**
 * What the till itself holds after its first pull: the client package pulls the catalogue into its
 * own storage (a MemoryStorage here, measured as IndexedDB would hold the same strings).
 */
async function tillStorage(url: string, shop: BenchShop): Promise<{ ms: number; catalogBytes: number; totalBytes: number }> {
  const storage = new MemoryStorage();
  const pos = createPosClient({
    uri: `${url}/graphql`,
    shopId: shop.shopId,
    storage,
    getToken: () => shop.token,
    syncOnStart: false,
    syncIntervalMs: 0,
    catalogIntervalMs: false,
    catalogPageSize: PAGE,
    networkEvents: false,
    locks: null,
    cacheMaxSize: false,
  });
  try {
    await pos.ready;
    const started = process.hrtime.bigint();
    if (!(await pos.refreshCatalog())) throw new Error("the client's catalogue pull failed");
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    await pos.flushCache();
    return { ms, catalogBytes: storage.byteSize(`pos-sync:${shop.shopId}:catalog:`), totalBytes: storage.byteSize() };
  } finally {
    await pos.dispose();
  }
}

/** 50 price changes and 50 products sold (one sale each, through the sync): 100 changed products. */
async function hundredChanges(url: string, ds: DataSource, shop: BenchShop): Promise<void> {
  const repriced = shop.products.slice(0, 50).map((p) => p.id);
  await ds.query(`UPDATE products SET price_cents = price_cents + 10 WHERE shop_id = $1 AND id = ANY($2::uuid[])`, [shop.shopId, repriced]);
  const sold = { ...shop, products: shop.products.slice(50, 100) };
  const sales = makeSales({ ...sold, products: sold.products }, 200);
  const res = await fetch(`${url}/api/pos/sync`, { method: "POST", headers: headersOf(shop), body: JSON.stringify({ sales }) });
  if (res.status !== 200) throw new Error(`catalogue bench sync answered ${res.status}`);
}

export async function measureCatalogFeed(url: string, ds: DataSource, secret: string, rows: Row[], log: (m: string) => void): Promise<void> {
  const shop = await seedBenchShop(ds, secret, CATALOG_PRODUCTS);
  await pull(url, shop, "rest"); // warm-up: the first request of a route compiles its code paths
  for (const transport of ["rest", "graphql"] as const) {
    const full = await pull(url, shop, transport);
    // The bench shop is a demo shop (its 4 products) plus the 10,000.
    if (full.products < CATALOG_PRODUCTS) throw new Error(`catalogue ${transport}: pulled ${full.products} products`);
    rows.push({
      figure: `Catalogue first pull, ${CATALOG_PRODUCTS.toLocaleString("en-US")} products (${transport === "rest" ? "REST" : "GraphQL"}, pages of ${PAGE})`,
      value: `${fmt.ms(full.ms)}, ${(full.bytes / 1024).toFixed(0)} KB in ${full.roundTrips} round trips`,
      target: `< ${TARGET_FULL_MS / 1000} s`,
      met: full.ms < TARGET_FULL_MS,
    });
    log(`catalogue ${transport} full pull: ${JSON.stringify({ ...full, cursor: undefined })}`);
  }
  const till = await tillStorage(url, shop);
  rows.push({
    figure: `Till storage after its first pull of ${CATALOG_PRODUCTS.toLocaleString("en-US")} products (client package, GraphQL)`,
    value: `${(till.catalogBytes / 1024).toFixed(0)} KB catalogue, ${(till.totalBytes / 1024).toFixed(0)} KB with the persisted cache; pulled and stored in ${fmt.ms(till.ms)}`,
  });
  log(`till storage: ${JSON.stringify(till)}`);
  const before = await pull(url, shop, "rest");
  const graphqlBefore = await pull(url, shop, "graphql");
  await hundredChanges(url, ds, shop);
  for (const [transport, from] of [["rest", before.cursor], ["graphql", graphqlBefore.cursor]] as const) {
    const delta = await pull(url, shop, transport, from);
    if (delta.products !== 100) throw new Error(`catalogue ${transport} delta: ${delta.products} products, expected 100`);
    rows.push({
      figure: `Catalogue delta after 100 changes (${transport === "rest" ? "REST" : "GraphQL"})`,
      value: `${fmt.ms(delta.ms)}, ${(delta.bytes / 1024).toFixed(1)} KB in ${delta.roundTrips} round trip${delta.roundTrips === 1 ? "" : "s"}`,
      target: "< 50 KB, one round trip",
      met: delta.bytes < TARGET_DELTA_BYTES && delta.roundTrips === 1,
    });
    log(`catalogue ${transport} delta: ${JSON.stringify({ ...delta, cursor: undefined })}`);
  }
}
