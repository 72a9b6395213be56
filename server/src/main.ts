import "reflect-metadata";
import { issueToken } from "./auth/tokens";
import { ConfigError, loadConfig } from "./config/config";
import { DEMO_ACCOUNTS, DEMO_SHOP, demoShopExists, seedDemoShopIfEmpty } from "./demo/seed";
import { createLogger } from "./observability/logger";
import { startServer } from "./server";

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const server = await startServer(config, logger);
  logger.info({ database: server.database.description }, "database ready");

  if (!config.isProduction && config.seedDemo) {
    if (await seedDemoShopIfEmpty(server.database.dataSource)) logger.info({ shopId: DEMO_SHOP.shopId }, "demo shop seeded");
    if (await demoShopExists(server.database.dataSource)) {
      const token = issueToken(config.jwtSecret, DEMO_SHOP.cashierId, "8h");
      process.stdout.write(
        [
          "",
          `  pos-sync is running: GraphQL ${server.url}/graphql  REST ${server.url}/api/pos/sync`,
          `  the till:            ${server.url}/  (Manager sign-in with the demo manager, Add a till, type its code; then a PIN)`,
          `  demo shop id:        ${DEMO_SHOP.shopId}`,
          `  demo cashier token:  ${token}  (for curl; the till never needs one)`,
          ...DEMO_ACCOUNTS.map((a) => `  demo ${a.role} login: ${a.email} / ${a.password} (PIN ${a.pin})`),
          "",
          `  export SHOP=${DEMO_SHOP.shopId} TOKEN=${token}`,
          "",
        ].join("\n") + "\n",
      );
    }
  }
  logger.info({ url: `${server.url}/graphql` }, "listening");

  // The only handlers of these signals (Apollo's are off): stop accepting, drain, close, exit 0.
  const shutdown = (signal: string) => {
    logger.info({ signal }, "shutting down: draining in-flight requests");
    const force = setTimeout(() => {
      logger.error("shutdown timed out");
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    server.close().then(
      () => {
        logger.info("stopped");
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : (error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
