import "reflect-metadata";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { AppConfig } from "./config/config";
import { type Database, migrate, openDatabase } from "./db/data-source";
import { createApp } from "./api/http/app";
import { type Services, authSettingsOf, createServices } from "./services";
import { type Metrics, createMetrics } from "./observability/metrics";
import { poolStatsOf } from "./db/pool-stats";
import { rateLimitStores } from "./api/http/rate-limit-store";

export type RunningServer = {
  url: string;
  port: number;
  database: Database;
  services: Services;
  metrics: Metrics;
  /** Stops taking connections, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
};

/** What a cluster worker adds to a server (runtime/serve.ts); a single process passes nothing. */
export type ServerOptions = {
  /** Sent as `x-possync-worker` on every answer, so how a balancer or the cluster spreads requests can be seen. */
  workerId?: number;
  /** Where the metrics are registered (see createMetrics); a fresh registry unless given. */
  metricsRegistry?: Registry;
};

export async function startServer(config: AppConfig, logger: Logger, database?: Database, options: ServerOptions = {}): Promise<RunningServer> {
  const db =
    database ??
    (await openDatabase(
      config.databaseUrl
        ? { kind: "server", url: config.databaseUrl, poolSize: config.dbPoolSize, timeouts: config.databaseTimeouts }
        : { kind: "embedded", dataDir: config.dataDir },
    ));
  const applied = await migrate(db);
  if (applied.length > 0) logger.info({ migrations: applied }, "migrations applied");

  let draining = false;
  const metrics = createMetrics(poolStatsOf(db.dataSource), options.metricsRegistry);
  const services = createServices(db.dataSource, { maxSalesPerRequest: config.maxSalesPerRequest }, logger, (counts, seconds) => {
    metrics.syncBatchSeconds.observe(seconds);
    for (const [status, n] of Object.entries(counts)) if (n > 0) metrics.syncSales.inc({ status }, n);
  }, authSettingsOf(config), config.attention);
  // Shared rate-limit counters (REDIS_URL): Redis down at start only logs; the limiters fail open
  // or fall back to their per-process memory count until it answers (see rate-limit-store.ts).
  const limitStores = rateLimitStores(config.redis, logger, (limiter) => metrics.rateLimitStoreErrors.inc({ limiter }));
  const app = await createApp(config, db.dataSource, services, logger, metrics, () => draining, limitStores);
  if (!(await limitStores.ready())) logger.warn("rate-limit store (Redis) not ready at start: sync limits open, sign-in limits per process until it is");
  const server: Server = createServer(app.express);
  const workerId = options.workerId;
  // Before the app's own listener, so the header is set before any handler can answer.
  if (workerId !== undefined) server.prependListener("request", (_req, res) => res.setHeader("x-possync-worker", String(workerId)));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  server.keepAliveTimeout = 65_000;
  const port = (server.address() as AddressInfo).port;
  const host = config.host === "0.0.0.0" ? "localhost" : config.host;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      draining = true;
      // close() waits for every connection; a keep-alive socket that finishes its in-flight
      // request becomes idle afterwards, so idle sockets are swept until the last one is gone.
      await new Promise<void>((resolve) => {
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        server.close(() => {
          clearInterval(sweep);
          resolve();
        });
        server.closeIdleConnections();
      });
      await app.stopGraphQL();
      await limitStores.close();
      await db.close();
    })();
    return closing;
  };
  return { url: `http://${host}:${port}`, port, database: db, services, metrics, close };
}
