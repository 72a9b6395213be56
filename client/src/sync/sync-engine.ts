import type { Outbox } from "../outbox/outbox";
import { type OutboxRecord, type SyncedRecord, assertNever, isSendable, toPending } from "../outbox/outbox-record";
import type { StatusStore } from "../status";
import { type BackoffOptions, retryDelay } from "./backoff";
import { BUSY, type Locks } from "./locks";
import { decideRetry } from "./retry-policy";
import { type SyncAnswer, type SyncTransport, factsOf } from "./sync-transport";
import type { TillState } from "./till-state";
import { type BatchResult, type Later, NONE_LATER, joinLater, pauseMessage } from "./batch-result";
import type { EntitySender } from "./entity-sender";

export type SyncReport =
  | { kind: "done"; synced: number; failed: number }
  | { kind: "retrying"; error: string; retryInMs: number }
  | { kind: "authRequired"; error: string }
  /** Another tab holds the sync lock and is sending this outbox. */
  | { kind: "busy" }
  | { kind: "disposed" };

/** How long a request must be out before its sales show as `syncing` in the cache. */
export const SHOW_SENDING_AFTER_MS = 250;
const LEFT_OUT = "The server's answer did not include this sale; it will be sent again";

export type SyncEngineDeps = {
  outbox: Outbox;
  send: SyncTransport;
  /** Sends the customers and refunds of the outbox (absent: a client that only sells). */
  entities?: EntitySender;
  /** A paired till's outbox report for a request of these sales; absent for an unpaired client. */
  tillState?: (sending: ReadonlySet<string>) => TillState;
  /** Applies a batch's outcome to the cache after the outbox has stored it. */
  onRecordsChanged: (records: OutboxRecord[], synced: SyncedRecord[]) => void;
  status: StatusStore;
  locks: Locks;
  lockName: string;
  batchSize: number;
  backoff: BackoffOptions;
  now: () => number;
  random: () => number;
};

/**
 * Sends the outbox in recorded order, `batchSize` sales per request, one sync at a time (per client,
 * and per origin where Web Locks exist). Transient failures back off with full jitter (or as the
 * server's Retry-After says), and so do refusals that are not about the sales (a wrong URL, a
 * proxy's 404, a bad header); 401/403 pause until `sync()` is called again; a request refused for
 * its sales (a value, its size) is split until the sale at fault is alone, and that sale alone fails.
 */
export class SyncEngine {
  private running: Promise<SyncReport> | null = null;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;

  constructor(private readonly deps: SyncEngineDeps) {}

  /** An explicit sync: runs now, even if paused for auth or waiting out a backoff. */
  sync(): Promise<SyncReport> {
    this.clearRetry();
    this.deps.status.update({ authRequired: false });
    return this.start();
  }

  /** An automatic trigger (start, interval, online, a new sale): skipped while paused or backing off. */
  trigger(): void {
    const { authRequired } = this.deps.status.get();
    if (this.disposed || authRequired || this.retryTimer || this.running) return;
    void this.start();
  }

  /** The network is back: forget the backoff and go. */
  networkBack(): void {
    this.failures = 0;
    this.clearRetry();
    this.trigger();
  }

  isBackingOff(): boolean {
    return this.retryTimer !== null;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.clearRetry();
    await this.running?.catch(() => undefined);
  }

  private start(): Promise<SyncReport> {
    if (this.disposed) return Promise.resolve({ kind: "disposed" });
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  private async run(): Promise<SyncReport> {
    const outcome = await this.deps.locks.ifAvailable(this.deps.lockName, async () => {
      this.deps.status.update({ syncing: true });
      try {
        await this.deps.outbox.reload();
        return await this.drain();
      } catch (error) {
        // Storage failing, a transport that threw: never an unhandled rejection; back off and retry.
        if (this.disposed) return { kind: "disposed" } as const;
        return this.scheduleRetry({ kind: "retry", error: messageOf(error), reachedServer: this.deps.status.get().online });
      } finally {
        this.deps.status.update({ syncing: false });
      }
    });
    return outcome === BUSY ? { kind: "busy" } : outcome;
  }

  /**
   * Sends batch after batch until nothing is left to send. Sales the server could not take now are
   * set aside for this run (the rest keep flowing) and resent after a backoff, never at once; a
   * batch in which nothing at all was taken means the server is failing, so the run stops there.
   */
  private async drain(): Promise<SyncReport> {
    let synced = 0;
    let failed = 0;
    let later = NONE_LATER;
    const setAside = new Set<string>();
    while (!this.disposed) {
      const result = await this.sendNext(setAside);
      if (result === null) break;
      switch (result.kind) {
        case "ok":
          synced += result.synced;
          failed += result.failed;
          this.failures = 0;
          this.deps.status.update({ online: true, lastError: null, nextRetryAt: null });
          later = joinLater(later, result.later);
          for (const id of result.later.ids) setAside.add(id);
          if (result.later.ids.length > 0 && result.synced + result.failed === 0) return this.retryLater(later);
          break;
        case "retry":
          return this.scheduleRetry(result);
        case "auth":
          this.deps.status.update({ online: true, authRequired: true, lastError: result.error });
          return { kind: "authRequired", error: result.error };
        default:
          return assertNever(result);
      }
    }
    if (this.disposed) return { kind: "disposed" };
    if (later.ids.length > 0) return this.retryLater(later);
    this.deps.status.update({ lastSyncedAt: new Date(this.deps.now()).toISOString() });
    return { kind: "done", synced, failed };
  }

  /**
   * The next request: customers first (a sale may name one), then sales in recorded order, then
   * refunds whose sale no longer waits in this outbox (a refund never goes before its sale).
   */
  private async sendNext(setAside: ReadonlySet<string>): Promise<BatchResult | null> {
    const entities = this.deps.entities;
    const customers = entities?.ready("customer", setAside) ?? [];
    if (entities && customers.length > 0) return entities.send(customers);
    const batch = this.deps.outbox
      .all()
      .filter((r) => isSendable(r) && !setAside.has(r.clientTempId))
      .slice(0, this.deps.batchSize);
    if (batch.length > 0) return this.sendBatch(batch);
    const refunds = entities?.ready("refund", setAside) ?? [];
    if (entities && refunds.length > 0) return entities.send(refunds);
    return null;
  }

  /** Backs off as after a failed request, longer the more often these sales have come back. */
  private retryLater(later: Later): SyncReport {
    this.failures = Math.max(this.failures, later.attempts - 1);
    return this.scheduleRetry({ kind: "retry", error: later.error ?? LEFT_OUT, reachedServer: true });
  }

  private async sendBatch(batch: OutboxRecord[]): Promise<BatchResult> {
    const ids = batch.map((r) => r.clientTempId);
    const sendingSince = new Date(this.deps.now()).toISOString();
    const sending = await this.deps.outbox.update(ids, (r) => ({ ...toPending(r), state: "syncing", sendingSince }));
    // "Sending" reaches the cache only if the request is still out after a moment: a request that
    // fails at once (offline) then changes nothing on screen, and no row flickers.
    const showSending = setTimeout(() => this.deps.onRecordsChanged(sending, []), SHOW_SENDING_AFTER_MS);
    (showSending as { unref?: () => void }).unref?.();
    const outcome = await this.deps
      .send(
        sending.map((r) => r.sale),
        this.deps.tillState?.(new Set(ids)),
      )
      .catch((error: unknown) => ({ kind: "failed" as const, facts: factsOf(error) }))
      .finally(() => clearTimeout(showSending));
    if (outcome.kind === "answered") return this.settle(ids, outcome.answer);
    const decision = decideRetry(outcome.facts);
    switch (decision.kind) {
      case "retry":
        await this.backToPending(ids, 1);
        return { kind: "retry", error: outcome.facts.message, retryAfterMs: decision.retryAfterMs, reachedServer: outcome.facts.status !== undefined };
      case "pause":
        // Not the sales' fault (wrong URL, a proxy mid-deploy, a bad header): keep them, back off.
        await this.backToPending(ids, 0);
        return { kind: "retry", error: pauseMessage(outcome.facts), retryAfterMs: decision.retryAfterMs, reachedServer: true };
      case "auth":
        await this.backToPending(ids, 0);
        return { kind: "auth", error: outcome.facts.message };
      case "reject":
        return this.split(sending, outcome.facts.message);
      default:
        return assertNever(decision);
    }
  }

  /** A refused request: halve it until the refused sale is alone, which then fails on its own. */
  private async split(batch: OutboxRecord[], error: string): Promise<BatchResult> {
    if (batch.length === 1) {
      const failed = await this.deps.outbox.update([batch[0].clientTempId], (r) => ({ ...toPending(r), state: "failed", syncError: error }));
      this.deps.onRecordsChanged(failed, []);
      return { kind: "ok", synced: 0, failed: 1, later: NONE_LATER };
    }
    const middle = Math.ceil(batch.length / 2);
    let synced = 0;
    let failed = 0;
    let later = NONE_LATER;
    for (const half of [batch.slice(0, middle), batch.slice(middle)]) {
      const result = await this.sendBatch(half);
      if (result.kind !== "ok") return result;
      synced += result.synced;
      failed += result.failed;
      later = joinLater(later, result.later);
    }
    return { kind: "ok", synced, failed, later };
  }

  /**
   * Stores the answer in the outbox first (durable), then shows it in the cache. A permanent error
   * fails the sale; a retryable one (the server failed, not the sale) and a sale missing from the
   * answer go back to pending, to be resent after a backoff. Ids are matched case-insensitively.
   */
  private async settle(ids: string[], answer: SyncAnswer): Promise<BatchResult> {
    const syncedAt = new Date(this.deps.now()).toISOString();
    const synced = new Map(answer.synced.map((s) => [s.clientTempId.toLowerCase(), s]));
    const errors = new Map(answer.errors.map((e) => [e.clientTempId.toLowerCase(), e]));
    let laterError: string | null = null;
    const stored = await this.deps.outbox.update(ids, (r): OutboxRecord => {
      const key = r.clientTempId.toLowerCase();
      const ok = synced.get(key);
      if (ok) return { ...toPending(r), state: "synced", synced: true, serverId: ok.serverId, orderId: ok.orderId, syncedAt, warnings: ok.warnings };
      const error = errors.get(key);
      if (error && !error.retryable) return { ...toPending(r), state: "failed", syncError: error.error };
      laterError = error?.error ?? laterError ?? LEFT_OUT;
      return { ...toPending(r), attempts: r.attempts + 1 };
    });
    const nowSynced = stored.filter((r): r is SyncedRecord => r.state === "synced");
    this.deps.onRecordsChanged(stored, nowSynced);
    const back = stored.filter((r) => r.state === "pending");
    const later: Later = { ids: back.map((r) => r.clientTempId), error: laterError, attempts: Math.max(0, ...back.map((r) => r.attempts)) };
    return { kind: "ok", synced: nowSynced.length, failed: stored.filter((r) => r.state === "failed").length, later };
  }

  private async backToPending(ids: string[], addAttempts: number): Promise<void> {
    const records = await this.deps.outbox.update(ids, (r) => (r.state === "syncing" ? { ...toPending(r), attempts: r.attempts + addAttempts } : r));
    this.deps.onRecordsChanged(records, []);
  }

  private scheduleRetry({ error, retryAfterMs, reachedServer }: Extract<BatchResult, { kind: "retry" }>): SyncReport {
    // A request abandoned by dispose(): no timer outlives the client.
    if (this.disposed) return { kind: "disposed" };
    // A server that says how long to wait (429/503 with Retry-After) is answering, not failing:
    // its wait is taken as given and does not grow the backoff of a later real failure.
    if (retryAfterMs === undefined) this.failures++;
    const delay = retryDelay(this.failures, retryAfterMs, this.deps.backoff, this.deps.random);
    this.clearRetry();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.trigger();
    }, delay);
    (this.retryTimer as { unref?: () => void }).unref?.();
    this.deps.status.update({ lastError: error, online: reachedServer, nextRetryAt: new Date(this.deps.now() + delay).toISOString() });
    return { kind: "retrying", error, retryInMs: delay };
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.deps.status.update({ nextRetryAt: null });
  }
}


function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
