import type { CacheSync } from "../cache/cache-sync";
import type { Outbox } from "../outbox/outbox";
import type { EntityRecord } from "../outbox/entity-record";
import type { OutboxRecord, SyncedRecord } from "../outbox/outbox-record";
import type { StatusStore } from "../status";

/** Shows what the outbox holds: its sales in the Apollo cache, its counts in the status. */
export class OutboxDisplay {
  constructor(
    private readonly outbox: Outbox,
    private readonly cacheSync: CacheSync,
    private readonly status: StatusStore,
  ) {}

  /** Sales, customers and refunds together: "pending" is everything the server does not have yet. */
  refreshCounts(): void {
    const sales = this.outbox.counts();
    const entities = this.outbox.entities.counts();
    this.status.update({ pending: sales.pending + entities.pending, failed: sales.failed + entities.failed, synced: sales.synced + entities.synced });
  }

  /** Customers and refunds stored or changed: the cache shows them (refunds on their sale, restocks in the stock). */
  entitiesChanged(records: EntityRecord[]): void {
    this.cacheSync.showEntities(records);
    this.refreshCounts();
  }

  /** After the outbox stored a change: synced sales are reconciled, the others (re)shown. */
  recordsChanged(records: OutboxRecord[], synced: SyncedRecord[]): void {
    if (synced.length) this.cacheSync.reconcile(synced);
    const rest = records.filter((r) => r.state !== "synced");
    if (rest.length) this.cacheSync.showUnsynced(rest);
    this.refreshCounts();
  }

  /** Customers or refunds discarded from the outbox: a refund's restock no longer counts in the shown stock. */
  forgetEntities(clientTempIds: string[]): void {
    this.cacheSync.forgetEntities(clientTempIds);
  }

  /** Unsynced sales that left the outbox (discarded) leave the cache, and give their stock back. */
  forget(clientTempIds: string[]): void {
    this.cacheSync.forget(clientTempIds);
  }
}
