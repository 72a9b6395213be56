import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { AdmissionObserver, SyncAdmission } from "./sync-admission";

/**
 * The load shedding in /metrics: refusals (429 OVERLOADED) by transport with the Retry-After they
 * were told, admissions of tills that had been refused, and the queue read at scrape time.
 */
export function admissionMetrics(registry: Registry): { observer: AdmissionObserver; watch(admission: SyncAdmission): void } {
  const shed = new Counter({
    name: "possync_sync_shed_total",
    help: "Sync requests refused with 429 OVERLOADED because this process's sync queue was full, by transport",
    labelNames: ["transport"],
    registers: [registry],
  });
  const retryAfter = new Histogram({
    name: "possync_sync_shed_retry_after_seconds",
    help: "The Retry-After told to shed sync requests",
    buckets: [1, 2, 3, 5, 8, 13, 21, 30, 60, 120],
    registers: [registry],
  });
  const admittedAfterWaiting = new Counter({
    name: "possync_sync_admitted_after_shed_total",
    help: "Sync requests admitted from a till (token subject) that this process had refused before, by transport",
    labelNames: ["transport"],
    registers: [registry],
  });
  let watched: SyncAdmission | undefined;
  const gauge = (name: string, help: string, pick: (s: ReturnType<SyncAdmission["snapshot"]>) => number) =>
    new Gauge({ name, help, registers: [registry], collect() { if (watched) this.set(pick(watched.snapshot())); } });
  gauge("possync_sync_queued_sales", "Sales in sync requests admitted and not yet answered (this process)", (s) => s.queuedSales);
  gauge("possync_sync_queued_requests", "Sync requests admitted and not yet answered (this process)", (s) => s.queuedRequests);
  gauge("possync_sync_drain_sales_per_second", "Recent rate at which this process answers queued sync sales (what Retry-After is sized from)", (s) => s.drainPerSecond);
  return {
    observer: {
      shed: (transport, seconds) => {
        shed.inc({ transport });
        retryAfter.observe(seconds);
      },
      admittedAfterWaiting: (transport) => admittedAfterWaiting.inc({ transport }),
    },
    watch: (admission) => void (watched = admission),
  };
}
