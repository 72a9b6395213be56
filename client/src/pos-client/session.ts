import type { ApolloClient, InMemoryCache } from "@apollo/client/core";
import type { CacheSync } from "../cache/cache-sync";
import { Outbox } from "../outbox/outbox";
import { type OutboxRecord, type PendingRecord, isUnsynced, toPending } from "../outbox/outbox-record";
import { type EntityRecord, entityToPending } from "../outbox/entity-record";
import { type CustomerInput, type RefundLineInput, type RefundOptions, buildOfflineCustomer, buildOfflineRefund } from "../record-entities";
import { type RecordingContext, type SaleInput, buildOfflineSale } from "../record-sale";
import type { StatusStore } from "../status";
import type { KeyValueStorage } from "../storage/storage";
import type { Locks } from "../sync/locks";
import { SyncEngine, type SyncReport } from "../sync/sync-engine";
import type { SyncTransport } from "../sync/sync-transport";
import { EntitySender } from "../sync/entity-sender";
import { apolloEntityTransport } from "../sync/entity-transport";
import { tillStateOf } from "../sync/till-state";
import { installTriggers } from "../sync/triggers";
import type { Settings } from "./options";
import { OutboxDisplay } from "./outbox-display";
import { SaleInFlightError } from "./pos-client";
import { RecordTrigger } from "./record-trigger";
import type { ShopSettingsStore } from "./shop-settings";
import { CatalogWiring } from "./catalog-wiring";
import type { CatalogView } from "../cache/create-cache";

export type SessionDeps = {
  storage: KeyValueStorage;
  settings: Settings;
  locks: Locks;
  cacheSync: CacheSync;
  status: StatusStore;
  apollo: ApolloClient<unknown>;
  transport: (apollo: ApolloClient<unknown>) => SyncTransport;
  networkEvents?: boolean;
  shopSettings: ShopSettingsStore;
  catalog: CatalogView;
  cache: InMemoryCache;
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
    private readonly catalog: CatalogWiring,
  ) {
    this.recordTrigger = new RecordTrigger(deps.settings.syncAfterRecordMs, () => engine.trigger());
  }

  /** Opens the outbox, prunes it, repairs the cache from it, then starts syncing. */
  static async open(deps: SessionDeps): Promise<PosSession> {
    const { settings } = deps;
    const outbox = await Outbox.open(deps.storage, { prefix: settings.prefix, locks: deps.locks });
    await outbox.prune(settings.now(), settings.retentionMs);
    deps.cacheSync.resolveCustomer = (tempId) => {
      const record = outbox.entities.get(tempId);
      return record?.state === "synced" ? record.serverId : undefined;
    };
    deps.cacheSync.refundsOf = (saleTempId) =>
      outbox.entities.refunds().filter((r) => "clientTempId" in r.refund.sale && r.refund.sale.clientTempId === saleTempId);
    deps.cacheSync.saleServerIdOf = (saleTempId) => {
      const sale = outbox.get(saleTempId);
      return sale?.state === "synced" ? sale.serverId : undefined;
    };
    await outbox.entities.prune(settings.now(), settings.retentionMs);
    deps.cacheSync.repair(outbox.all());
    deps.cacheSync.showEntities(outbox.entities.all());
    const display = new OutboxDisplay(outbox, deps.cacheSync, deps.status);
    display.refreshCounts();
    const catalog = await CatalogWiring.open(deps);
    const session = new PosSession(deps, outbox, display, createEngine(deps, outbox, display), catalog);
    session.startTriggers();
    return session;
  }

  async recordSale(input: SaleInput): Promise<PendingRecord> {
    const sale = buildOfflineSale(input, new Date(this.deps.settings.now()), () => crypto.randomUUID(), this.recordingContext());
    const record = await this.outbox.append(sale, this.deps.settings.till ?? undefined);
    this.deps.cacheSync.showUnsynced([record]);
    this.display.refreshCounts();
    this.recordTrigger.saleRecorded();
    return record;
  }

  /** A customer signed up at the counter: stored durably, synced before any sale that names it. */
  async createCustomer(input: CustomerInput): Promise<EntityRecord> {
    const customer = buildOfflineCustomer(input, new Date(this.deps.settings.now()), () => crypto.randomUUID());
    const record = await this.outbox.entities.appendCustomer(customer);
    this.display.refreshCounts();
    this.recordTrigger.saleRecorded();
    return record;
  }

  /** A refund of a sale (this till's, even unsent, or the server's): stored durably, sent no earlier than its sale. */
  async refundSale(saleId: string, lines: RefundLineInput[], options: RefundOptions = {}): Promise<EntityRecord> {
    const known = this.outbox.get(saleId) ?? this.outbox.all().find((r) => r.state === "synced" && r.serverId === saleId);
    const refund = buildOfflineRefund(saleId, lines, options, known, new Date(this.deps.settings.now()), () => crypto.randomUUID(), this.recordingContext());
    const record = await this.outbox.entities.appendRefund(refund, this.deps.settings.till ?? undefined);
    this.display.entitiesChanged([record]);
    this.recordTrigger.saleRecorded();
    return record;
  }

  entityRecords(): EntityRecord[] {
    return this.outbox.entities.all();
  }

  private recordingContext(): RecordingContext {
    return { online: this.deps.status.get().online, offlineCardLimit: this.deps.shopSettings.current(this.deps.apollo).offlineCardLimit };
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
    if (this.outbox.entities.get(clientTempId)) {
      const changed = await this.outbox.entities.update([clientTempId], (r) => (r.state === "failed" ? entityToPending(r) : r));
      this.display.entitiesChanged(changed);
      void this.engine.sync().then((report) => this.afterSync(report));
      return;
    }
    const changed = await this.outbox.update([clientTempId], (r) => (r.state === "failed" ? toPending(r) : r));
    this.display.recordsChanged(changed, []);
    void this.engine.sync().then((report) => this.afterSync(report));
  }

  async discard(clientTempId: string): Promise<void> {
    if (this.outbox.entities.get(clientTempId)) return this.discardEntity(clientTempId);
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

  refreshCatalog(): Promise<boolean> {
    return this.catalog.refresh();
  }

  /** A customer or refund leaves the outbox (never while in a request); a refund's restock leaves the shown stock. */
  private async discardEntity(clientTempId: string): Promise<void> {
    let removed: EntityRecord | null = null;
    const kept = await this.outbox.entities.update([clientTempId], (r) => {
      if (r.state === "syncing") return r;
      removed = r;
      return null;
    });
    if (kept.length > 0) throw new SaleInFlightError(clientTempId);
    if (removed) this.display.forgetEntities([clientTempId]);
    this.display.refreshCounts();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.catalog.dispose();
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
      await this.outbox.entities.prune(this.deps.settings.now(), this.deps.settings.retentionMs);
      this.display.refreshCounts();
    }
    return report;
  }
}

function createEngine(deps: SessionDeps, outbox: Outbox, display: OutboxDisplay): SyncEngine {
  const { settings } = deps;
  const tillState = settings.till ? (sending: ReadonlySet<string>) => tillStateOf(outbox.all(), outbox.entities.all(), settings.till!.id, sending) : undefined;
  const entities = new EntitySender({
    outbox,
    send: apolloEntityTransport(deps.apollo),
    tillState,
    onChanged: (records) => display.entitiesChanged(records),
    batchSize: settings.batchSize,
    now: settings.now,
  });
  return new SyncEngine({
    outbox,
    send: deps.transport(deps.apollo),
    entities,
    tillState,
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
