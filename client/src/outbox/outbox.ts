import type { KeyValueStorage } from "../storage/storage";
import type { Locks } from "../sync/locks";
import type { OfflineSale, OutboxCounts, OutboxRecord, PendingRecord, ReceiptTill } from "./outbox-record";
import { OutboxPages } from "./outbox-pages";
import { EntityOutbox } from "./entity-outbox";
import type { EntityRecord } from "./entity-record";
import { ReceiptCounter, numberedSale } from "./receipt-counter";

/**
 * The durable queue of sales, separate from the Apollo cache. Records live in pages of `pageSize`
 * (one storage value each), so recording a sale rewrites one small page, and a batch's state change
 * rewrites one or two. Each page write is a single atomic `setItem`: a record is either in its page
 * or not, never half. Every change is awaited before the caller hears of it, and happens under the
 * outbox lock after re-reading the page from storage, so two tabs never overwrite each other.
 */
export class Outbox {
  /** Customers and refunds, in pages of their own, under the same lock and receipt counter. */
  readonly entities: EntityOutbox;

  private constructor(
    private readonly pages: OutboxPages,
    entityPages: OutboxPages<EntityRecord>,
    private readonly locks: Locks,
    private readonly lockName: string,
    private readonly receipts: ReceiptCounter,
  ) {
    this.entities = new EntityOutbox(entityPages, locks, lockName, receipts, () => this.pages.records().map(numberedSale));
  }

  static async open(storage: KeyValueStorage, options: { prefix: string; locks: Locks; pageSize?: number }): Promise<Outbox> {
    const pages = new OutboxPages(storage, `${options.prefix}outbox:`, options.pageSize ?? 100);
    const entityPages = new OutboxPages<EntityRecord>(storage, `${options.prefix}entities:`, options.pageSize ?? 100);
    const outbox = new Outbox(pages, entityPages, options.locks, `${options.prefix}outbox`, new ReceiptCounter(storage, options.prefix));
    await outbox.reload();
    return outbox;
  }

  /** Re-reads every page (sales and entities), to see what another tab (or an earlier process) wrote. */
  reload(): Promise<void> {
    return this.locks.exclusive(this.lockName, async () => {
      await this.pages.loadAll();
      await this.entities.loadAll();
    });
  }

  /**
   * Durably appends the sale; resolves only once it is stored. With `till`, the sale gets the
   * till's next receipt number inside the same lock and the same page write (see ReceiptCounter).
   */
  append(sale: OfflineSale, till?: ReceiptTill): Promise<PendingRecord> {
    return this.locks.exclusive(this.lockName, async () => {
      const seq = await this.pages.nextSeq();
      const journal = () => [...this.pages.records().map(numberedSale), ...this.entities.numbered()];
      const numbered = till ? { ...sale, receiptNumber: await this.receipts.next(till, journal()) } : sale;
      const record: PendingRecord = { seq, clientTempId: sale.clientTempId, sale: numbered, attempts: 0, ...(till ? { receiptTill: till } : {}), state: "pending", synced: false };
      await this.pages.modifyPage(this.pages.pageOf(seq), (records) => [...records, record]);
      if (till) await this.receipts.remember([numberedSale(record)]);
      return record;
    });
  }

  /**
   * Applies `change` to the named records (returning null removes one) and stores the result,
   * page by page. Answers the records as stored; ids no longer in the outbox are skipped.
   */
  update(ids: Iterable<string>, change: (record: OutboxRecord) => OutboxRecord | null): Promise<OutboxRecord[]> {
    const wanted = new Set(ids);
    return this.locks.exclusive(this.lockName, async () => {
      // A change may remove records: their receipt numbers must stay used.
      await this.receipts.remember(this.pages.records().filter((r) => wanted.has(r.clientTempId)).map(numberedSale));
      return this.pages.updateRecords(wanted, change);
    });
  }

  /** Drops synced records older than the retention, then whole leading pages that became empty. */
  async prune(now: number, retentionMs: number): Promise<number> {
    const expired = this.all().filter((r) => r.state === "synced" && now - Date.parse(r.syncedAt) >= retentionMs);
    if (expired.length > 0) await this.update(expired.map((r) => r.clientTempId), () => null);
    await this.locks.exclusive(this.lockName, () => this.pages.dropEmptyLeadingPages());
    return expired.length;
  }

  /** Every record in recorded order (synced ones included, until pruned). */
  all(): OutboxRecord[] {
    return this.pages.records();
  }

  get(clientTempId: string): OutboxRecord | undefined {
    return this.pages.find(clientTempId);
  }

  counts(): OutboxCounts {
    return this.pages.tally();
  }

  /** Bytes the outbox occupies in storage (its pages as stored, UTF-8). */
  byteSize(): number {
    return this.pages.byteSize();
  }
}
