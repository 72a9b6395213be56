import type { Locks } from "../sync/locks";
import type { EntityRecord, OfflineCustomer, OfflineRefund, RefundRecord } from "./entity-record";
import type { OutboxCounts, ReceiptTill } from "./outbox-record";
import type { OutboxPages } from "./outbox-pages";
import type { Numbered, ReceiptCounter } from "./receipt-counter";

/**
 * The queue of what a till creates offline besides sales: customers and refunds, each written by
 * one atomic page write under the sales outbox's lock. A refund takes its receipt number from the
 * till's one counter (sales and refunds share the journal), in the same lock and the same write.
 */
export class EntityOutbox {
  constructor(
    private readonly pages: OutboxPages<EntityRecord>,
    private readonly locks: Locks,
    private readonly lockName: string,
    private readonly receipts: ReceiptCounter,
    private readonly numberedSales: () => Numbered[],
  ) {}

  /** Called under the lock by Outbox.reload. */
  loadAll(): Promise<void> {
    return this.pages.loadAll();
  }

  appendCustomer(customer: OfflineCustomer): Promise<EntityRecord> {
    return this.append((seq) => ({ seq, clientTempId: customer.clientTempId, attempts: 0, kind: "customer", customer, state: "pending", synced: false }));
  }

  appendRefund(refund: OfflineRefund, till?: ReceiptTill): Promise<EntityRecord> {
    return this.append(async (seq) => {
      const receiptNumber = till ? await this.receipts.next(till, [...this.numberedSales(), ...this.numbered()]) : undefined;
      const numbered = receiptNumber === undefined ? refund : { ...refund, receiptNumber };
      return { seq, clientTempId: refund.clientTempId, attempts: 0, ...(till ? { receiptTill: till } : {}), kind: "refund", refund: numbered, state: "pending", synced: false };
    });
  }

  /** Like Outbox.update: a removed refund's receipt number stays used. */
  update(ids: Iterable<string>, change: (record: EntityRecord) => EntityRecord | null): Promise<EntityRecord[]> {
    const wanted = new Set(ids);
    return this.locks.exclusive(this.lockName, async () => {
      await this.receipts.remember(this.refunds().filter((r) => wanted.has(r.clientTempId)).map(numberedRefund));
      return this.pages.updateRecords(wanted, change);
    });
  }

  /** Drops synced records older than the retention. */
  async prune(now: number, retentionMs: number): Promise<void> {
    const expired = this.all().filter((r) => r.state === "synced" && now - Date.parse(r.syncedAt) >= retentionMs);
    if (expired.length > 0) await this.update(expired.map((r) => r.clientTempId), () => null);
    await this.locks.exclusive(this.lockName, () => this.pages.dropEmptyLeadingPages());
  }

  all(): EntityRecord[] {
    return this.pages.records();
  }

  get(clientTempId: string): EntityRecord | undefined {
    return this.pages.find(clientTempId);
  }

  counts(): OutboxCounts {
    return this.pages.tally();
  }

  /** The refunds as entries of the receipt journal. */
  numbered(): Numbered[] {
    return this.refunds().map(numberedRefund);
  }

  refunds(): RefundRecord[] {
    return this.all().filter((r): r is RefundRecord => r.kind === "refund");
  }

  private append(build: (seq: number) => EntityRecord | Promise<EntityRecord>): Promise<EntityRecord> {
    return this.locks.exclusive(this.lockName, async () => {
      const seq = await this.pages.nextSeq();
      const record = await build(seq);
      await this.pages.modifyPage(this.pages.pageOf(seq), (records) => [...records, record]);
      if (record.kind === "refund") await this.receipts.remember([numberedRefund(record)]);
      return record;
    });
  }
}

function numberedRefund(record: RefundRecord): Numbered {
  return { receiptTill: record.receiptTill, receiptNumber: record.refund.receiptNumber };
}
