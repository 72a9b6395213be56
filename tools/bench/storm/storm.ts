import type { Queryable } from "../../../server/src/invariants/check";
import { readShedTotal, sampleQueueDepth } from "./storm-metrics";
import { describeStorm, summarise } from "./storm-summary";
import type { StormResult, StormShop, StormTillReport, StormTillSpec, StormWorkerInit } from "./storm-types";
import { verifyStorm } from "./storm-verify";
import { type StormGroup, forkedGroup, inProcessGroup, within } from "./storm-workers";

export { seedStormShops, type StormSeedOptions } from "./storm-seed";
export { verifyStorm } from "./storm-verify";
export { describeStorm } from "./storm-summary";
export type { StormResult, StormShop, StormDatabaseCheck, StormTillReport } from "./storm-types";

export type StormOptions = {
  /** The server's base URL (the tills sync through `<url>/graphql`, as the client package does). */
  url: string;
  /** Shops and their tills (seedStormShops); the first `tills` tills are taken, shop after shop in turn. */
  shops: StormShop[];
  tills: number;
  salesPerTill: number;
  /** Forked worker processes (compiled tools/dist); 0 runs every till in this process. */
  workers: number;
  /** Every till comes online at a random moment of this window (default 1,000 ms). */
  windowMs?: number;
  /** Sales per sync request (default 100, the client package's default). */
  batchSize?: number;
  /** Bound on the whole storm, and on each till's queue emptying (default 300 s). */
  timeoutMs?: number;
  /** Default `<url>/metrics`. */
  metricsUrl?: string;
  /** When given, the result's `database` is verifyStorm's check on it. */
  database?: Queryable;
  log?: (message: string) => void;
};

/**
 * The reconnect storm: `tills` tills of the real client package, each with its own MemoryStorage
 * outbox holding `salesPerTill` sales recorded while offline, spread over `workers` processes,
 * all come online within `windowMs`. Returns the figures (drain time, sales/s, 429s sent and
 * honoured, fairness, 5xx) and, with `database`, the exactly-once check.
 */
export async function measureStorm(opts: StormOptions): Promise<StormResult> {
  const { result, reports } = await runStorm(opts);
  if (opts.database) result.database = await verifyStorm(opts.database, opts.shops, reports);
  opts.log?.(`storm: ${describeStorm(result)}`);
  return result;
}

/**
 * The storm with every till's report (its clientTempIds among them), for a caller that checks the
 * database itself later: the embedded database can be opened only once the server has stopped.
 */
export async function runStorm(opts: Omit<StormOptions, "database">): Promise<{ result: StormResult; reports: StormTillReport[] }> {
  const log = opts.log ?? (() => undefined);
  const timeoutMs = opts.timeoutMs ?? 300_000;
  const specs = pickTills(opts.shops, opts.tills);
  const metricsUrl = opts.metricsUrl ?? `${opts.url}/metrics`;
  const inits = dealTills(specs, Math.max(1, opts.workers)).map(
    (tills): StormWorkerInit => ({ kind: "init", url: opts.url, tills, salesPerTill: opts.salesPerTill, batchSize: opts.batchSize ?? 100, timeoutMs }),
  );
  const groups = await prepareGroups(inits, opts.workers, timeoutMs);
  try {
    log(`storm: ${groups.reduce((n, g) => n + g.recorded, 0)} sales recorded offline by ${specs.length} tills in ${groups.length} group(s)`);
    const shedBefore = await readShedTotal(metricsUrl);
    const depth = sampleQueueDepth(metricsUrl);
    const go = { kind: "go" as const, startAt: Date.now() + 200, windowMs: opts.windowMs ?? 1_000 };
    const done = await Promise.all(groups.map((g) => g.storm(go, timeoutMs + 10_000)));
    const reports = done.flatMap((d) => d.reports);
    const peakQueuedSales = await depth.stop();
    const shedByServer = (await readShedTotal(metricsUrl)) - shedBefore;
    const result: StormResult = {
      ...summarise(reports, opts.salesPerTill),
      shops: new Set(specs.map((s) => s.shopId)).size,
      salesPerTill: opts.salesPerTill,
      shedByServer,
      peakQueuedSales,
      workers: opts.workers,
      generatorCpuMs: done.map((d) => d.cpuMs),
    };
    return { result, reports };
  } finally {
    for (const g of groups) g.stop();
  }
}

async function prepareGroups(inits: StormWorkerInit[], workers: number, timeoutMs: number): Promise<StormGroup[]> {
  if (workers <= 0) return [await within(inProcessGroup(inits[0]), timeoutMs, "recording the sales offline")];
  const settled = await Promise.allSettled(inits.map((init) => forkedGroup(init, timeoutMs)));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (!failed) return settled.map((s) => (s as PromiseFulfilledResult<StormGroup>).value);
  for (const s of settled) if (s.status === "fulfilled") s.value.stop();
  throw failed.reason;
}

/** Shop after shop in turn (till 1 of every shop, then till 2, ...), so any count spans the chain. */
function pickTills(shops: StormShop[], count: number): StormTillSpec[] {
  const specs: StormTillSpec[] = [];
  const most = Math.max(0, ...shops.map((s) => s.tills.length));
  for (let i = 0; i < most && specs.length < count; i++) {
    for (const shop of shops) {
      if (i < shop.tills.length && specs.length < count) specs.push({ shopId: shop.shopId, products: shop.products, till: shop.tills[i] });
    }
  }
  if (specs.length < count) throw new Error(`measureStorm: ${count} tills asked for, the shops have ${specs.length}`);
  return specs;
}

function dealTills(specs: StormTillSpec[], groups: number): StormTillSpec[][] {
  const dealt: StormTillSpec[][] = Array.from({ length: Math.min(groups, specs.length) }, () => []);
  specs.forEach((spec, i) => dealt[i % dealt.length].push(spec));
  return dealt;
}
