import type { StormResult, StormTillReport } from "./storm-types";

type Counted = Omit<StormResult, "shops" | "salesPerTill" | "shedByServer" | "workers" | "database" | "peakQueuedSales" | "generatorCpuMs">;

/** The figures of a storm from its tills' reports (server-side figures are added by the caller). */
export function summarise(reports: StormTillReport[], salesPerTill: number): Counted {
  const sum = (pick: (r: StormTillReport) => number) => reports.reduce((n, r) => n + pick(r), 0);
  const emptied = reports.filter((r) => Number.isFinite(r.drainMs));
  const drains = emptied.map((r) => r.drainMs).sort((a, b) => a - b);
  const at = (q: number) => drains[Math.min(drains.length - 1, Math.floor(q * drains.length))] ?? Number.NaN;
  const lastEmptiedMs = Math.max(0, ...emptied.map((r) => r.onlineAtMs + r.drainMs));
  const sales = reports.length * salesPerTill;
  const seconds = lastEmptiedMs / 1000;
  const median = at(0.5);
  const max = drains[drains.length - 1] ?? Number.NaN;
  return {
    tills: reports.length,
    sales,
    synced: sum((r) => r.synced),
    seconds,
    salesPerSecond: seconds > 0 ? sales / seconds : 0,
    shedSeenByTills: sum((r) => r.shed),
    maxShedsPerTill: Math.max(0, ...reports.map((r) => r.shed)),
    honoured: sum((r) => r.honoured),
    longestRetryAfterS: Math.max(0, ...reports.map((r) => r.longestRetryAfterS)),
    status5xx: sum((r) => r.status5xx),
    otherFailures: sum((r) => r.otherFailures),
    requests: sum((r) => r.requests),
    drainMs: { median, p95: at(0.95), max },
    slowestOverMedian: max / median,
    tillsNotEmptied: reports.length - emptied.length + reports.filter((r) => r.unsynced > 0).length,
  };
}

/** One line for a log or a report row. */
export function describeStorm(r: StormResult): string {
  return (
    `${r.tills} tills (${r.shops} shops) x ${r.salesPerTill} sales = ${r.sales}: all synced in ${r.seconds.toFixed(1)} s ` +
    `(${Math.round(r.salesPerSecond)} sales/s); 429s sent ${r.shedByServer}, seen ${r.shedSeenByTills}, honoured ${r.honoured}, at most ${r.maxShedsPerTill} for one till ` +
    `(longest Retry-After ${r.longestRetryAfterS} s); peak queue ${r.peakQueuedSales} sales; till drain median ` +
    `${Math.round(r.drainMs.median)} ms, p95 ${Math.round(r.drainMs.p95)} ms, slowest ${Math.round(r.drainMs.max)} ms ` +
    `(${r.slowestOverMedian.toFixed(1)}x median); ${r.status5xx} 5xx, ${r.otherFailures} other failures, ${r.tillsNotEmptied} tills not emptied; load generator CPU ${r.generatorCpuMs.join("/")} ms`
  );
}
