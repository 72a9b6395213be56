import "reflect-metadata";
import { loadConfig } from "../../server/src/config/config";
import { openDatabase } from "../../server/src/db/data-source";
import { seedDemoShops } from "../../server/src/demo/seed";
import { createLogger } from "../../server/src/observability/logger";
import { startServer } from "../../server/src/server";
import { formatReport, runSoak } from "./soak";
import { loadSoakConfig } from "./soak-config";

/**
 * `npm run soak`: the server in-process on loopback (on SOAK_DATABASE_URL, DATABASE_URL or an
 * in-memory embedded PostgreSQL), rate limits off, a fresh shop, the soak, the figures.
 * Exits 1 when any check fails, 2 when the soak could not run.
 */
async function main(): Promise<number> {
  const soak = loadSoakConfig();
  const config = loadConfig({
    ...soak.serverEnv,
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: soak.databaseUrl,
    LOG_LEVEL: soak.logLevel,
    SEED_DEMO: "never",
    RATE_LIMIT_PER_TOKEN: "0",
    RATE_LIMIT_PER_IP: "0",
  });
  const database = await openDatabase(
    config.databaseUrl ? { kind: "server", url: config.databaseUrl, poolSize: config.dbPoolSize } : { kind: "embedded", dataDir: "memory" },
  );
  const server = await startServer(config, createLogger(config.logLevel), database);
  try {
    const shop = await seedDemoShops(database.dataSource, config.jwtSecret, "2h");
    console.log(
      `soak: ${soak.secondsPerTransport}s per transport (at most ${soak.maxRequestsPerTransport} requests), ` +
        `${soak.connections} connections, ${soak.salesPerRequest} sales per request, ${Math.round(soak.duplicateRatio * 100)}% replays, ` +
        `on ${database.description}`,
    );
    const report = await runSoak({
      url: `http://127.0.0.1:${server.port}`,
      dataSource: database.dataSource,
      shop: { shopId: shop.shopId, token: shop.tokens.cashier, products: shop.products },
      ...soak,
    });
    console.log(formatReport(report));
    return report.ok ? 0 : 1;
  } finally {
    await server.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error("soak could not run:", error);
    process.exit(2);
  },
);
