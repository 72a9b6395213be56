import type { ApolloClient } from "@apollo/client/core";
import type { CacheSync } from "../cache/cache-sync";
import { Outbox } from "../outbox/outbox";
import { type OutboxRecord, type PendingRecord, isUnsynced, toPending } from "../outbox/outbox-record";
import { type SaleInput, buildOfflineSale } from "../record-sale";
import type { StatusStore } from "../status";
import type { KeyValueStorage } from "../storage/storage";
import type { Locks } from "../sync/locks";
import { SyncEngine, type SyncReport } from "../sync/sync-engine";
import type { SyncTransport } from "../sync/sync-transport";
import { tillStateOf } from "../sync/till-state";
import { installTriggers } from "../sync/triggers";
import type { Settings } from "./options";
import { OutboxDisplay } from "./outbox-display";
import { SaleInFlightError } from "./pos-client";
import { RecordTrigger } from "./record-trigger";

export type SessionDeps = {
  storage: KeyValueStorage;
  settings: Settings;
  locks: Locks;
  cacheSync: CacheSync;
  status: StatusStore;
  apollo: ApolloClient<unknown>;
  transport: (apollo: ApolloClient<unknown>) => SyncTransport;
  networkEvents?: boolean;
};

/**
 * The client once its outbox is open: records sales, syncs them (engine and automatic triggers),
 * retries and discards. `createPosClient` makes one when the persisted cache is restored.
 */
export class PosSession {
  private disposed = false;
  private removeTriggers: () => void = () => {};
  private readonly recordTrigger: RecordTrigger;

  private constructor(
    private readonly deps: SessionDeps,
    private readonly outbox: Outbox,
    private readonly display: OutboxDisplay,
    private readonly engine: SyncEngine,
  ) {
    this.recordTrigger = new RecordTrigger(deps.settings.syncAfterRecordMs, () => engine.trigger());
  }

  /** Opens the outbox, prunes it, repairs the cache from it, then starts syncing. */
  static async open(deps: SessionDeps): Promise<PosSession> {
    const { settings } = deps;
    const outbox = await Outbox.open(deps.storage, { prefix: settings.prefix, locks: deps.locks });
    await outbox.prune(settings.now(), settings.retentionMs);
    deps.cacheSync.repair(outbox.all());
    const display = new OutboxDisplay(outbox, deps.cacheSync, deps.status);
    display.refreshCounts();
    const session = new PosSession(deps, outbox, display, createEngine(deps, outbox, display));
    session.startTriggers();
    return session;
  }

  async recordSale(input: SaleInput): Promise<PendingRecord> {
    const sale = buildOfflineSale(input, new Date(this.deps.settings.now()), () => crypto.randomUUID());
    const record = await this.outbox.append(sale, this.deps.settings.till ?? undefined);
    this.deps.cacheSync.showUnsynced([record]);
    this.display.refreshCounts();
    this.recordTrigger.saleRecorded();
    return record;
  }

  async sync(): Promise<SyncReport> {
    return this.afterSync(await this.engine.sync());
  }

  pendingSales(): OutboxRecord[] {
    return this.outbox.all().filter(isUnsynced);
  }

  outboxRecords(): OutboxRecord[] {
    return this.outbox.all();
  }

  outboxBytes(): number {
    return this.outbox.byteSize();
  }

  async retry(clientTempId: string): Promise<void> {
    const changed = await this.outbox.update([clientTempId], (r) => (r.state === "failed" ? toPending(r) : r));
    this.display.recordsChanged(changed, []);
    void this.engine.sync().then((report) => this.afterSync(report));
  }

  async discard(clientTempId: string): Promise<void> {
    // Decided on the record as the outbox update reads it under the lock, not on a snapshot: a
    // sync (here or in another tab) may have taken it since.
    let removed: OutboxRecord | null = null;
    const kept = await this.outbox.update([clientTempId], (r) => {
      if (r.state === "syncing") return r;
      removed = r;
      return null;
    });
    this.display.refreshCounts();
    if (kept.length > 0) throw new SaleInFlightError(clientTempId);
    if (removed && isUnsynced(removed)) this.display.forget([clientTempId]);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.recordTrigger.stop();
    this.removeTriggers();
    await this.engine.dispose();
  }

  private startTriggers(): void {
    const { settings, status } = this.deps;
    this.removeTriggers = installTriggers({
      intervalMs: settings.syncIntervalMs,
      events: this.deps.networkEvents,
      onInterval: () => this.engine.trigger(),
      onOnline: () => {
        status.update({ online: true });
        this.engine.networkBack();
      },
      onOffline: () => status.update({ online: false }),
    });
    if (settings.syncOnStart) this.engine.trigger();
  }

  /** A sync that emptied the queue lets the outbox drop records past their retention. */
  private async afterSync(report: SyncReport): Promise<SyncReport> {
    if (report.kind === "done" && !this.disposed) {
      await this.outbox.prune(this.deps.settings.now(), this.deps.settings.retentionMs);
      this.display.refreshCounts();
    }
    return report;
  }
}

function createEngine(deps: SessionDeps, outbox: Outbox, display: OutboxDisplay): SyncEngine {
  const { settings } = deps;
  return new SyncEngine({
    outbox,
    send: deps.transport(deps.apollo),
    tillState: settings.till ? (sending) => tillStateOf(outbox.all(), settings.till!.id, sending) : undefined,
    onRecordsChanged: (records, synced) => display.recordsChanged(records, synced),
    status: deps.status,
    locks: deps.locks,
    lockName: `${settings.prefix}sync`,
    batchSize: settings.batchSize,
    backoff: settings.backoff,
    now: settings.now,
    random: settings.random,
  });
}
