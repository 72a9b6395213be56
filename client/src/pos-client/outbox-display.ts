import type { CacheSync } from "../cache/cache-sync";
import type { Outbox } from "../outbox/outbox";
import type { OutboxRecord, SyncedRecord } from "../outbox/outbox-record";
import type { StatusStore } from "../status";

/** Shows what the outbox holds: its sales in the Apollo cache, its counts in the status. */
export class OutboxDisplay {
  constructor(
    private readonly outbox: Outbox,
    private readonly cacheSync: CacheSync,
    private readonly status: StatusStore,
  ) {}

  refreshCounts(): void {
    this.status.update(this.outbox.counts());
  }

  /** After the outbox stored a change: synced sales are reconciled, the others (re)shown. */
  recordsChanged(records: OutboxRecord[], synced: SyncedRecord[]): void {
    if (synced.length) this.cacheSync.reconcile(synced);
    const rest = records.filter((r) => r.state !== "synced");
    if (rest.length) this.cacheSync.showUnsynced(rest);
    this.refreshCounts();
  }

  /** Unsynced sales that left the outbox (discarded) leave the cache, and give their stock back. */
  forget(clientTempIds: string[]): void {
    this.cacheSync.forget(clientTempIds);
  }
}
