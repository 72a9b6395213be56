import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * Prometheus metrics of one server instance (its own registry, so several servers in one process,
 * as in tests, never collide). Sale outcomes are counted by the sync service's observer; HTTP
 * latency by the app; pool usage is read from the pg pool at scrape time.
 */
export type Metrics = {
  registry: Registry;
  syncSales: Counter<"status">;
  syncBatchSeconds: Histogram<never>;
  httpSeconds: Histogram<"route" | "method" | "status">;
  /** Rate-limiter operations that Redis failed or did not answer in time (the request went on). */
  rateLimitStoreErrors: Counter<"limiter">;
};

export type PoolStats = () => { total: number; idle: number; waiting: number; max: number };

/**
 * `registry` is a fresh one unless given: a cluster worker passes one whose exposition (/metrics)
 * is the whole cluster's (cluster/worker-registry.ts); its own metrics are collected here as always.
 */
export function createMetrics(poolStats: PoolStats, registry: Registry = new Registry()): Metrics {
  collectDefaultMetrics({ register: registry, prefix: "possync_" });
  const metrics: Metrics = {
    registry,
    syncSales: new Counter({
      name: "possync_sync_sales_total",
      help: "Sales in sync requests by result: created, existing or rejected",
      labelNames: ["status"],
      registers: [registry],
    }),
    syncBatchSeconds: new Histogram({
      name: "possync_sync_batch_seconds",
      help: "Sync requests that reached the database (either transport): time to validate and write the batch",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    httpSeconds: new Histogram({
      name: "possync_http_request_duration_seconds",
      help: "HTTP request latency by route",
      labelNames: ["route", "method", "status"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    rateLimitStoreErrors: new Counter({
      name: "possync_rate_limit_store_errors_total",
      help: "Rate-limit store (Redis) operations that failed or timed out, by limiter; the request was let through (sign-in: limited per process)",
      labelNames: ["limiter"],
      registers: [registry],
    }),
  };
  const pool = (name: string, help: string, pick: (s: ReturnType<PoolStats>) => number) =>
    new Gauge({ name, help, registers: [registry], collect() { this.set(pick(poolStats())); } });
  pool("possync_db_pool_connections", "Open database connections", (s) => s.total);
  pool("possync_db_pool_idle", "Idle database connections", (s) => s.idle);
  pool("possync_db_pool_waiting", "Queries waiting for a database connection", (s) => s.waiting);
  pool("possync_db_pool_max", "Configured maximum database connections", (s) => s.max);
  return metrics;
}
