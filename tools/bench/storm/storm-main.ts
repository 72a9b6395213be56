import "reflect-metadata";
import { randomBytes } from "node:crypto";
import { openDatabase } from "../../../server/src/db/data-source";
import { createFreshDatabase } from "../bench-database";
import { startServerProcess } from "../server-process";
import { measureStorm, seedStormShops } from "./storm";

/**
 * The storm on its own, for a look without the whole bench: `node tools/dist/tools/bench/storm/storm-main.js`
 * on a fresh PostgreSQL database (BENCH_DATABASE_URL's server) and the production server process.
 * STORM_SHOPS x STORM_TILLS_PER_SHOP tills, STORM_SALES each, STORM_WORKERS processes; the server
 * gets the environment as it is (SYNC_MAX_QUEUED_SALES etc.). Prints the result as JSON.
 */
async function main(): Promise<void> {
  const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  const shops = env("STORM_SHOPS", 100);
  const tillsPerShop = env("STORM_TILLS_PER_SHOP", 10);
  const fresh = await createFreshDatabase(process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres");
  const secret = randomBytes(24).toString("hex");
  try {
    const server = await startServerProcess({ databaseUrl: fresh.url, jwtSecret: secret });
    const admin = await openDatabase({ kind: "server", url: fresh.url, poolSize: 2 });
    try {
      const seeded = await seedStormShops(admin.dataSource, secret, { shops, tillsPerShop });
      const result = await measureStorm({
        url: server.url,
        shops: seeded,
        tills: shops * tillsPerShop,
        salesPerTill: env("STORM_SALES", 50),
        workers: env("STORM_WORKERS", 4),
        database: admin.dataSource,
        log: (m) => process.stderr.write(`[storm] ${m}\n`),
      });
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } finally {
      await server.stop();
      await admin.close();
    }
  } finally {
    await fresh.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
