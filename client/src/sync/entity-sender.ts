import type { EntityRecord, OfflineCustomer, OfflineRefund } from "../outbox/entity-record";
import { entityToPending } from "../outbox/entity-record";
import type { Outbox } from "../outbox/outbox";
import { type BatchResult, type Later, NONE_LATER, joinLater, pauseMessage } from "./batch-result";
import type { EntityAnswer, EntityTransport } from "./entity-transport";
import { decideRetry } from "./retry-policy";
import { factsOf } from "./sync-transport";
import type { TillState } from "./till-state";

const LEFT_OUT = "The server's answer did not include this record; it will be sent again";

export type EntitySenderDeps = {
  outbox: Outbox;
  send: EntityTransport;
  tillState?: (sending: ReadonlySet<string>) => TillState;
  onChanged: (records: EntityRecord[]) => void;
  batchSize: number;
  now: () => number;
};

/**
 * Sends the customers and refunds of the outbox through `syncOffline`, under the sync engine's
 * lock and rules: a transient failure sends them back to pending, a request refused for its
 * content is halved until the record at fault fails alone, a permanent per-record error fails it.
 */
export class EntitySender {
  constructor(private readonly deps: EntitySenderDeps) {}

  /** What can go now: pending customers; refunds whose sale (if it is this till's) is no longer waiting to be sent. */
  ready(kind: EntityRecord["kind"], setAside: ReadonlySet<string>): EntityRecord[] {
    const waitingSales = new Set(
      this.deps.outbox
        .all()
        .filter((r) => r.state === "pending" || r.state === "syncing")
        .map((r) => r.clientTempId),
    );
    return this.deps.outbox.entities
      .all()
      .filter((r) => r.kind === kind && (r.state === "pending" || r.state === "syncing") && !setAside.has(r.clientTempId))
      .filter((r) => r.kind !== "refund" || !("clientTempId" in r.refund.sale) || !waitingSales.has(r.refund.sale.clientTempId))
      .slice(0, this.deps.batchSize);
  }

  async send(records: EntityRecord[]): Promise<BatchResult> {
    const ids = records.map((r) => r.clientTempId);
    const sending = await this.deps.outbox.entities.update(ids, (r) => (r.state === "pending" || r.state === "syncing" ? { ...entityToPending(r), state: "syncing" } : r));
    const outcome = await this.deps
      .send(batchOf(sending), this.deps.tillState?.(new Set(ids)))
      .catch((error: unknown) => ({ kind: "failed" as const, facts: factsOf(error) }));
    if (outcome.kind === "answered") return this.settle(ids, outcome.answer);
    const decision = decideRetry(outcome.facts);
    switch (decision.kind) {
      case "retry":
        await this.backToPending(ids);
        return { kind: "retry", error: outcome.facts.message, retryAfterMs: decision.retryAfterMs, reachedServer: outcome.facts.status !== undefined };
      case "pause":
        await this.backToPending(ids);
        return { kind: "retry", error: pauseMessage(outcome.facts), retryAfterMs: decision.retryAfterMs, reachedServer: true };
      case "auth":
        await this.backToPending(ids);
        return { kind: "auth", error: outcome.facts.message };
      case "reject":
        return this.split(sending, outcome.facts.message);
      default:
        return decision satisfies never;
    }
  }

  private async split(records: EntityRecord[], error: string): Promise<BatchResult> {
    if (records.length === 1) {
      const failed = await this.deps.outbox.entities.update([records[0].clientTempId], (r) => ({ ...entityToPending(r), state: "failed", synced: false, syncError: error }));
      this.deps.onChanged(failed);
      return { kind: "ok", synced: 0, failed: 1, later: NONE_LATER };
    }
    const middle = Math.ceil(records.length / 2);
    let total: BatchResult = { kind: "ok", synced: 0, failed: 0, later: NONE_LATER };
    for (const half of [records.slice(0, middle), records.slice(middle)]) {
      const result = await this.send(half);
      if (result.kind !== "ok" || total.kind !== "ok") return result;
      total = { kind: "ok", synced: total.synced + result.synced, failed: total.failed + result.failed, later: joinLater(total.later, result.later) };
    }
    return total;
  }

  private async settle(ids: string[], answer: EntityAnswer): Promise<BatchResult> {
    const syncedAt = new Date(this.deps.now()).toISOString();
    const results = [answer.customers, answer.refunds];
    const synced = new Map(results.flatMap((r) => r.synced).map((s) => [s.clientTempId.toLowerCase(), s]));
    const errors = new Map(results.flatMap((r) => r.errors).flatMap((e) => (e.clientTempId ? [[e.clientTempId.toLowerCase(), e] as const] : [])));
    let laterError: string | null = null;
    const stored = await this.deps.outbox.entities.update(ids, (r): EntityRecord => {
      const ok = synced.get(r.clientTempId.toLowerCase());
      if (ok) return { ...entityToPending(r), state: "synced", synced: true, serverId: ok.serverId, syncedAt, warnings: ok.warnings };
      const error = errors.get(r.clientTempId.toLowerCase());
      if (error && !error.retryable) return { ...entityToPending(r), state: "failed", synced: false, syncError: error.error };
      laterError = error?.error ?? laterError ?? LEFT_OUT;
      return { ...entityToPending(r), attempts: r.attempts + 1 };
    });
    this.deps.onChanged(stored);
    const back = stored.filter((r) => r.state === "pending");
    const later: Later = { ids: back.map((r) => r.clientTempId), error: laterError, attempts: Math.max(0, ...back.map((r) => r.attempts)) };
    return { kind: "ok", synced: stored.filter((r) => r.state === "synced").length, failed: stored.filter((r) => r.state === "failed").length, later };
  }

  private async backToPending(ids: string[]): Promise<void> {
    const records = await this.deps.outbox.entities.update(ids, (r) => (r.state === "syncing" ? { ...entityToPending(r), attempts: r.attempts + 1 } : r));
    this.deps.onChanged(records);
  }
}

function batchOf(records: EntityRecord[]): { customers: OfflineCustomer[]; refunds: OfflineRefund[] } {
  return {
    customers: records.flatMap((r) => (r.kind === "customer" ? [r.customer] : [])),
    refunds: records.flatMap((r) => (r.kind === "refund" ? [r.refund] : [])),
  };
}
