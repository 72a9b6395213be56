import cluster, { type Worker } from "node:cluster";
import { AggregatorRegistry, Counter, Gauge, type MetricObjectWithValues, type MetricValue, Registry } from "prom-client";

/**
 * /metrics for a whole cluster. Prometheus scrapes one address and the cluster hands the
 * connection to any worker, so a worker's own counters would be a random Nth of the truth.
 * Instead the worker answering GET /metrics asks the primary over IPC (worker-registry.ts); the
 * primary collects the metrics of every worker that listens, aggregates them with prom-client's
 * AggregatorRegistry (counters and histograms summed, gauges per their aggregator: pool
 * connections summed, event-loop lag averaged), adds its own, and sends the text back.
 *
 * prom-client's own clusterMetrics() asks every forked worker, including one still starting that
 * cannot answer yet, and then fails the scrape after 5 s; here only listening workers are asked,
 * and one that exits mid-scrape is no longer waited for. /healthz and /readyz stay per worker.
 */
export const MESSAGES = {
  ask: "possync:cluster-metrics?",
  answer: "possync:cluster-metrics",
  collect: "possync:worker-metrics?",
  local: "possync:worker-metrics",
} as const;

export type Ask = { type: typeof MESSAGES.ask; id: number };
export type Answer = { type: typeof MESSAGES.answer; id: number; text?: string; error?: string };
export type Collect = { type: typeof MESSAGES.collect; id: number };
export type Local = { type: typeof MESSAGES.local; id: number; metrics?: WorkerMetrics; error?: string };
type WorkerMetrics = MetricObjectWithValues<MetricValue<string>>[];

/** How long the primary waits for the workers' metrics (a scrape's usual timeout is 10 s). */
export const COLLECT_TIMEOUT_MS = 4_000;

/** The primary's own metrics: what only it knows. No default metrics: those come from the workers. */
export type PrimaryMetrics = { registry: Registry; workers: Gauge<never>; restarts: Counter<never> };

export function createPrimaryMetrics(): PrimaryMetrics {
  const registry = new Registry();
  return {
    registry,
    workers: new Gauge({ name: "possync_cluster_workers", help: "Worker processes alive in this cluster", registers: [registry] }),
    restarts: new Counter({
      name: "possync_cluster_worker_restarts_total",
      help: "Workers that exited unexpectedly and were replaced",
      registers: [registry],
    }),
  };
}

type Collection = { waitingFor: Set<number>; results: WorkerMetrics[]; done(error?: Error): void };

/** Primary: answers every worker's ask with the aggregate of the workers that `serving` lists. */
export function answerMetricsAsks(primary: PrimaryMetrics, serving: () => Worker[]): void {
  const collections = new Map<number, Collection>();
  let nextId = 0;
  const scrape = async (): Promise<string> => {
    const results = await collect(serving(), nextId++, collections);
    const workers = await AggregatorRegistry.aggregate(results).metrics();
    return `${workers.trimEnd()}\n\n${await primary.registry.metrics()}`;
  };
  cluster.on("message", (worker: Worker, message: unknown) => {
    if (isMessage<Local>(message, MESSAGES.local)) return received(collections.get(message.id), worker.id, message);
    if (!isMessage<Ask>(message, MESSAGES.ask)) return;
    void scrape().then(
      (text) => reply(worker, { type: MESSAGES.answer, id: message.id, text }),
      (error: unknown) => reply(worker, { type: MESSAGES.answer, id: message.id, error: error instanceof Error ? error.message : String(error) }),
    );
  });
  // A worker that exits mid-scrape has nothing more to say: its counters are gone with it.
  cluster.on("exit", (worker: Worker) => {
    for (const collection of collections.values()) forget(collection, worker.id);
  });
}

/** Asks each worker for its metrics as JSON; resolves when all have answered or exited, rejects after the timeout. */
function collect(serving: Worker[], id: number, collections: Map<number, Collection>): Promise<WorkerMetrics[]> {
  return new Promise((resolve, reject) => {
    const workers = serving.filter((w) => w.isConnected());
    const timer = setTimeout(() => collection.done(new Error(`workers did not answer within ${COLLECT_TIMEOUT_MS} ms`)), COLLECT_TIMEOUT_MS);
    const collection: Collection = {
      waitingFor: new Set(workers.map((w) => w.id)),
      results: [],
      done: (error) => {
        clearTimeout(timer);
        collections.delete(id);
        if (error) reject(error);
        else resolve(collection.results);
      },
    };
    collections.set(id, collection);
    const ask: Collect = { type: MESSAGES.collect, id };
    for (const worker of workers) worker.send(ask, (error: Error | null) => error && forget(collection, worker.id));
    if (workers.length === 0) collection.done();
  });
}

function received(collection: Collection | undefined, workerId: number, message: Local): void {
  if (!collection || !collection.waitingFor.has(workerId)) return;
  if (message.error !== undefined || !message.metrics) return collection.done(new Error(`worker ${workerId}: ${message.error ?? "no metrics"}`));
  collection.results.push(message.metrics);
  forget(collection, workerId);
}

function forget(collection: Collection, workerId: number): void {
  collection.waitingFor.delete(workerId);
  if (collection.waitingFor.size === 0) collection.done();
}

function reply(worker: Worker, answer: Answer): void {
  // A worker that went away meanwhile has nobody left to answer.
  if (worker.isConnected()) worker.send(answer, (error: Error | null) => void error);
}

export function isMessage<T extends { type: string }>(message: unknown, type: T["type"]): message is T {
  return typeof message === "object" && message !== null && (message as { type?: unknown }).type === type;
}
