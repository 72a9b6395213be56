import type { Pool } from "pg";
import type { PostgresDriver } from "typeorm/driver/postgres/PostgresDriver";
import { loadConfig } from "../../server/src/config/config";
import { type Database, openDatabase } from "../../server/src/db/data-source";
import { createLogger } from "../../server/src/observability/logger";
import { startServer } from "../../server/src/server";
import type { BenchContext } from "./bench-context";
import { prepareRequest, throughput } from "./http-runs";
import { rawBatch } from "./raw-sql";
import { fmt } from "./report";
import { interleaved, limitRow, median, ratioRow } from "./rounds";
import { type BenchShop, batchesOf, makeSales, rawRowsOf, seedBenchShop } from "./workload";

const BATCH = 500;
const GOAL = 0.6;

export type EmbeddedContext = Pick<BenchContext, "jwtSecret" | "scale" | "rows" | "notes" | "log">;

/**
 * The embedded default (PGlite, no DATABASE_URL): the server in this process, REST batches of
 * 500, against the raw set-based batch (the same SQL as raw-sql.ts) on the very PGlite instance the
 * server uses, through the server's own pg pool (PGlite is one session: the pool has one
 * connection, which the raw run borrows between the server's runs). Interleaved rounds.
 */
export async function measureEmbedded(ctx: EmbeddedContext, verdict: (db: Database, label: string) => Promise<void>): Promise<void> {
  ctx.log("embedded PGlite: starting");
  const config = loadConfig({ NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", JWT_SECRET: ctx.jwtSecret, LOG_LEVEL: "warn", SEED_DEMO: "never" });
  const database = await openDatabase({ kind: "embedded", dataDir: "memory" });
  const server = await startServer(config, createLogger(config.logLevel), database);
  try {
    const url = `http://127.0.0.1:${server.port}`;
    const shop = await seedBenchShop(database.dataSource, ctx.jwtSecret);
    const pool = (database.dataSource.driver as PostgresDriver).master as Pool;
    const raw = (count: number) => rawRun(pool, shop, count);
    const rest = async (count: number) => {
      const run = await throughput(url, shop, batchesOf(makeSales(shop, count), BATCH).map((b) => prepareRequest("rest", b)));
      if (run.counts.created !== count) throw new Error(`embedded: expected all created, got ${JSON.stringify(run.counts)}`);
      return run.salesPerSecond;
    };
    await raw(BATCH * 2);
    await rest(BATCH * 2);
    const n = ctx.scale.embeddedSales;
    const rates = await interleaved(ctx.scale.rounds, [
      { name: "raw", run: () => raw(n) },
      { name: "rest", run: () => rest(n) },
    ]);
    ctx.rows.push(limitRow(`Raw SQL limit on PGlite in the same process (set-based), batch ${BATCH}`, rates.get("raw")!));
    ctx.rows.push(ratioRow(`Embedded PGlite default (in-process), REST, batch ${BATCH}`, rates.get("rest")!, rates.get("raw")!, GOAL, "raw on PGlite"));
    ctx.log(`embedded: raw ${fmt.rate(median(rates.get("raw")!))}, REST ${fmt.rate(median(rates.get("rest")!))}`);
    await verdict(database, "embedded PGlite");
  } finally {
    await server.close();
  }
}

/** Raw batches of 500 on the borrowed connection; it goes back to the server's pool afterwards. */
async function rawRun(pool: Pool, shop: BenchShop, count: number): Promise<number> {
  const sales = makeSales(shop, count).map(rawRowsOf);
  const client = await pool.connect();
  try {
    const started = process.hrtime.bigint();
    for (const batch of batchesOf(sales, BATCH)) await rawBatch(client, shop, batch);
    return count / (Number(process.hrtime.bigint() - started) / 1e9);
  } finally {
    client.release();
  }
}
