import type { Logger } from "pino";
import { type AppConfig, ConfigError } from "../config/config";
import { migrate, openDatabase } from "../db/data-source";
import { demoBanner } from "../demo/banner";
import { DEMO_SHOP, demoShopExists, seedDemoShopIfEmpty } from "../demo/seed";
import { answerMetricsAsks, createPrimaryMetrics } from "./cluster-metrics";
import { restartBudget } from "./restart-budget";
import { WorkerSupervisor } from "./supervisor";

/**
 * The primary of WEB_CONCURRENCY > 1 (always on a PostgreSQL server: config refuses the embedded
 * database). It serves nothing itself: it prepares the database once, forks the workers that
 * share the port (node's cluster hands each new connection to one of them), keeps their number up,
 * aggregates their metrics, and stops them on SIGTERM/SIGINT.
 */

/** How much longer than a worker's own SHUTDOWN_TIMEOUT_MS the primary waits before killing it. */
const PRIMARY_GRACE_MS = 2_000;

export async function runPrimary(config: AppConfig, logger: Logger): Promise<void> {
  const demoReady = await prepareDatabaseOnce(config, logger);
  const metrics = createPrimaryMetrics();
  let stopping: NodeJS.Signals | undefined;
  const stop = (signal: NodeJS.Signals, reason: string) => {
    if (stopping) return void logger.info({ signal }, "already stopping the workers");
    stopping = signal;
    logger.info({ signal, reason }, "shutting down: draining every worker");
    const force = setTimeout(() => {
      logger.error("shutdown timed out: killing the workers that are left");
      supervisor.killAll();
      process.exit(1);
    }, config.shutdownTimeoutMs + PRIMARY_GRACE_MS);
    force.unref();
    void supervisor.stop(signal).then((clean) => {
      logger.info({ clean }, "stopped");
      process.exit(clean ? 0 : 1);
    });
  };
  const supervisor = new WorkerSupervisor(config.webConcurrency, restartBudget(), logger, metrics, {
    allListening: (port) => {
      const url = `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}`;
      if (demoReady) process.stdout.write(demoBanner(config.jwtSecret, url));
      logger.info({ url: `${url}/graphql`, workers: config.webConcurrency }, "all workers listening");
    },
    gaveUp: () => stop("SIGTERM", "workers keep crashing"),
  });
  answerMetricsAsks(metrics, () => supervisor.serving());
  // on, not once: a repeated Ctrl-C must not kill the primary while its workers drain.
  process.on("SIGTERM", () => stop("SIGTERM", "signal"));
  process.on("SIGINT", () => stop("SIGINT", "signal"));
  supervisor.start();
}

/**
 * Migrations and the demo seed run here, once, before any worker exists: N workers starting
 * together would otherwise take turns behind the migration lock (safe, see migrate()) but each
 * try to seed the demo shop. Workers still call migrate() when they start; it finds nothing to do.
 * Returns whether the demo banner should be printed.
 */
async function prepareDatabaseOnce(config: AppConfig, logger: Logger): Promise<boolean> {
  if (!config.databaseUrl) throw new ConfigError("WEB_CONCURRENCY > 1 needs DATABASE_URL");
  const db = await openDatabase({ kind: "server", url: config.databaseUrl, poolSize: 2, timeouts: config.databaseTimeouts });
  try {
    const applied = await migrate(db);
    if (applied.length > 0) logger.info({ migrations: applied }, "migrations applied");
    logger.info({ database: db.description, workers: config.webConcurrency }, "database ready; starting the workers");
    if (config.isProduction || !config.seedDemo) return false;
    if (await seedDemoShopIfEmpty(db.dataSource)) logger.info({ shopId: DEMO_SHOP.shopId }, "demo shop seeded");
    return await demoShopExists(db.dataSource);
  } finally {
    await db.close();
  }
}
