import { randomUUID } from "node:crypto";
import { Client } from "pg";
import type { SeededShops } from "../../server/src/demo/seed";
import { refundOf, syncDay } from "../offline-day/offline-day-support";
import { saleOf } from "../support/sales";
import { type TestServer, startTestServer, usingRealPostgres } from "../support/test-server";
import { TRANSPORTS, authHeaders, rest } from "../support/transports";

/**
 * Issue 13: a new sale in one round trip. The statements the server sends for a sync are recorded
 * at the query runner (both databases), and the lock-before-snapshot property the one-trip write
 * relies on is shown on real PostgreSQL with a competing transaction held open.
 */
let t: TestServer;
let shop: SeededShops;
const statements: string[] = [];
const namedSent: { text: string; values: unknown[] }[] = [];

beforeAll(async () => {
  t = await startTestServer();
  const createQueryRunner = t.dataSource.createQueryRunner.bind(t.dataSource);
  t.dataSource.createQueryRunner = (...args) => {
    const runner = createQueryRunner(...args);
    const query = runner.query.bind(runner);
    runner.query = (text: string, ...rest: unknown[]) => (statements.push(text), (query as (...a: unknown[]) => Promise<unknown>)(text, ...rest)) as never;
    // Named statements go to the runner's pg connection itself.
    const connect = runner.connect.bind(runner);
    runner.connect = async () => countNamedStatements(await connect());
    return runner;
  };
});
beforeEach(async () => {
  shop = await t.seed();
});
afterAll(async () => {
  await t.close();
});

const counted = new WeakSet<object>();
function countNamedStatements<C>(connection: C): C {
  const conn = connection as unknown as { query: (...a: unknown[]) => unknown };
  if (counted.has(conn)) return connection;
  counted.add(conn);
  const query = conn.query.bind(conn);
  conn.query = (first: unknown, ...rest: unknown[]) => {
    const config = first as { name?: string; text?: string } | undefined;
    if (typeof config === "object" && config?.name && config.text) {
      statements.push(config.text);
      namedSent.push({ text: config.text, values: (config as { values?: unknown[] }).values ?? [] });
    }
    return query(first, ...rest);
  };
  return connection;
}

/** The statements one sync sends, once the membership cache is warm. */
async function statementsOf(send: () => Promise<unknown>): Promise<string[]> {
  statements.length = 0;
  await send();
  return statements.map((s) => s.replace(/\s+/g, " ").trim().slice(0, 200));
}

describe.each(TRANSPORTS)("one round trip per sale over $name", (transport) => {
  it("a new sale is one read and one write statement, with no transaction opened", async () => {
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    await transport.sync(t.url, headers, [saleOf(shop)]);
    const sent = await statementsOf(() => transport.sync(t.url, headers, [saleOf(shop)]));
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatch(/^WITH mapped AS MATERIALIZED/);
    expect(sent[1]).toMatch(/pos_sync_record_sales/);
    expect(sent.join(" ")).not.toMatch(/START TRANSACTION|BEGIN|COMMIT/i);
  });

  it("a replayed batch is answered by the one read, with nothing written", async () => {
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    const batch = [saleOf(shop), saleOf(shop), saleOf(shop)];
    await transport.sync(t.url, headers, batch);
    const sent = await statementsOf(async () => {
      const again = await transport.sync(t.url, headers, batch);
      expect(again.synced.map((s) => s.status.toLowerCase())).toEqual(["existing", "existing", "existing"]);
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^WITH mapped AS MATERIALIZED/);
  });
});

const onPostgres = usingRealPostgres ? describe : describe.skip;

onPostgres("the one-trip write takes its locks before the snapshot it writes from", () => {
  it("a refund that commits while the sale's write waits for the refund-link lock is linked by that write", async () => {
    const cashier = authHeaders(shop.tokens.cashier, shop.shopId);
    // An unlinked refund of a sale the server never got, to be pointed at the new sale below.
    const earlier = await syncDay("rest", t.url, cashier, { refunds: [refundOf(shop, { clientTempId: randomUUID() })] });
    const refundId = earlier.refunds.synced[0].serverId;
    const holder = new Client({ connectionString: process.env.TEST_DATABASE_URL, statement_timeout: 10_000 });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT pg_advisory_xact_lock(pos_sync_refund_links_key($1))", [shop.shopId]);
      const sale = saleOf(shop);
      const syncing = rest.sync(t.url, cashier, [sale]);
      await waitForAdvisoryWaiter(holder);
      await holder.query("UPDATE refunds SET sale_client_temp_id = $2 WHERE shop_id = $1 AND id = $3", [shop.shopId, sale.clientTempId, refundId]);
      await holder.query("COMMIT");
      const answer = await syncing;
      const [row] = await t.dataSource.query(`SELECT sale_id::text AS sale_id FROM refunds WHERE shop_id = $1 AND id = $2`, [shop.shopId, refundId]);
      expect(row.sale_id).toBe(answer.synced[0].serverId);
    } finally {
      await holder.end();
    }
  });
});

onPostgres("the lookup is a named statement, so its plan may be generic", () => {
  it("reads only the batch's rows by their keys in a shop of 3,000 products and 3,000 sales, even with a generic plan", async () => {
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    for (let i = 0; i < 3; i++) await rest.sync(t.url, headers, Array.from({ length: 1000 }, () => saleOf(shop)));
    await t.dataSource.query(
      `INSERT INTO products (shop_id, id, name, sku, price_cents, stock)
       SELECT $1, gen_random_uuid(), 'Filler ' || i, 'FILL-' || i, 100, 10 FROM generate_series(1, 3000) i`,
      [shop.shopId],
    );
    await t.dataSource.query("ANALYZE products; ANALYZE offline_sale_syncs; ANALYZE sales");
    const synced = saleOf(shop);
    await rest.sync(t.url, headers, [synced]);
    namedSent.length = 0;
    await rest.sync(t.url, headers, [synced, saleOf(shop)]);
    const lookup = namedSent.find((s) => /^WITH mapped AS MATERIALIZED/.test(s.text))!;
    const client = new Client({ connectionString: process.env.TEST_DATABASE_URL, statement_timeout: 10_000 });
    await client.connect();
    try {
      await client.query("SET plan_cache_mode = force_generic_plan");
      await client.query(`PREPARE lookup AS ${lookup.text}`);
      const args = lookup.values.map((v) => literalOf(client, v)).join(", ");
      const { rows } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE lookup(${args})`);
      const scans = scanNodes(rows[0]["QUERY PLAN"][0].Plan).filter((n) => ["products", "customers", "offline_sale_syncs", "sales"].includes(n["Relation Name"]!));
      expect(scans.filter((n) => n["Relation Name"] === "products" && n["Actual Loops"] > 0)).not.toEqual([]);
      // Every access that ran fetched at most one row and read nothing it threw away: a key lookup.
      const read = scans.filter((n) => n["Actual Loops"] > 0).map((n) => ({ relation: n["Relation Name"], rowsPerLoop: n["Actual Rows"], removed: (n["Rows Removed by Filter"] ?? 0) + (n["Rows Removed by Index Recheck"] ?? 0) }));
      for (const access of read) expect(access).toEqual({ relation: access.relation, rowsPerLoop: access.rowsPerLoop <= 1 ? access.rowsPerLoop : "at most 1", removed: 0 });
    } finally {
      await client.end();
    }
  });
});

type PlanNode = {
  "Node Type": string;
  "Relation Name"?: string;
  "Actual Rows": number;
  "Actual Loops": number;
  "Rows Removed by Filter"?: number;
  "Rows Removed by Index Recheck"?: number;
  Plans?: PlanNode[];
};
function scanNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(scanNodes)].filter((n) => /Scan/.test(n["Node Type"]));
}

/** A bound value written as SQL (arrays as array literals), for EXECUTE's arguments. */
function literalOf(client: Client, value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (Array.isArray(value)) {
    const items = value.map((v) => (v === null ? "NULL" : `"${String(v).replace(/["\\]/g, "\\$&")}"`));
    return client.escapeLiteral(`{${items.join(",")}}`);
  }
  return client.escapeLiteral(String(value));
}

async function waitForAdvisoryWaiter(client: Client): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`);
    if (rows[0].n > 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("the sale's write never waited for the refund-link lock");
}
