import type { Logger } from "pino";
import type { AppConfig } from "../config/config";
import { demoBanner } from "../demo/banner";
import { DEMO_SHOP, demoShopExists, seedDemoShopIfEmpty } from "../demo/seed";
import { ClusterWorkerRegistry } from "../cluster/worker-registry";
import { type RunningServer, startServer } from "../server";

/**
 * One serving process: the whole server when WEB_CONCURRENCY=1 (exactly as before the cluster),
 * or one worker of a cluster, which leaves migrations, the demo seed and the banner to the primary
 * (they ran once before it was forked) and answers /metrics for the whole cluster.
 */
export async function serveSingleProcess(config: AppConfig, logger: Logger): Promise<void> {
  const server = await startServer(config, logger);
  logger.info({ database: server.database.description }, "database ready");
  if (!config.isProduction && config.seedDemo) {
    if (await seedDemoShopIfEmpty(server.database.dataSource)) logger.info({ shopId: DEMO_SHOP.shopId }, "demo shop seeded");
    if (await demoShopExists(server.database.dataSource)) process.stdout.write(demoBanner(config.jwtSecret, server.url));
  }
  logger.info({ url: `${server.url}/graphql` }, "listening");
  // The only handlers of these signals (Apollo's are off); once: a second signal kills as it always did.
  drainOnSignals(server, config, logger, (signal, handler) => process.once(signal, handler));
}

export async function serveClusterWorker(config: AppConfig, logger: Logger, workerId: number): Promise<void> {
  // A signal before the server listens: nothing is in flight yet, so the worker just leaves.
  const early = () => process.exit(0);
  process.on("SIGTERM", early).on("SIGINT", early);
  const server = await startServer(config, logger, undefined, { workerId, metricsRegistry: new ClusterWorkerRegistry() });
  process.off("SIGTERM", early).off("SIGINT", early);
  logger.info({ database: server.database.description }, "database ready");
  logger.info({ url: `${server.url}/graphql` }, "listening");
  // Not once: Ctrl-C in a terminal reaches the whole process group and the primary forwards it
  // too, and a second SIGINT must not kill a worker that is draining.
  drainOnSignals(server, config, logger, (signal, handler) => process.on(signal, handler));
}

type Subscribe = (signal: "SIGTERM" | "SIGINT", handler: () => void) => void;

/** Stop accepting, drain in-flight requests, close, exit 0; exit 1 past SHUTDOWN_TIMEOUT_MS. */
function drainOnSignals(server: RunningServer, config: AppConfig, logger: Logger, subscribe: Subscribe): void {
  let draining = false;
  const shutdown = (signal: string) => {
    if (draining) return void logger.info({ signal }, "already draining");
    draining = true;
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
  subscribe("SIGTERM", () => shutdown("SIGTERM"));
  subscribe("SIGINT", () => shutdown("SIGINT"));
}
