import type { Payment } from "./entity-record";

/**
 * What the outbox stores: plain JSON, no classes, no Dates, so any storage can hold it and a
 * reload reads back exactly what was written.
 */
export type SaleLine = { productId: string; quantity: number; price: number; discountPercent?: number };

/** The sale as it is sent to the server (`OfflineSaleInput`). */
export type OfflineSale = {
  clientTempId: string;
  items: SaleLine[];
  totalAmount: number;
  customerId?: string | null;
  /** The cashier who made the sale (picked by PIN on a shared till); absent on older records. */
  staffId?: string | null;
  /** ISO-8601 instant when the sale happened at the till. */
  createdAt: string;
  /** A customer created on this till, by its clientTempId (the server resolves it). */
  customerClientTempId?: string;
  /** The tenders; absent on sales recorded without them. */
  payments?: Payment[];
  /** The till's counter for this sale (1, 2, ...), assigned by recordSale on a paired till; absent otherwise. */
  receiptNumber?: number;
};

/** The till whose counter numbered a sale: its id (the counter's key) and code (what a receipt shows). */
export type ReceiptTill = { id: string; code: string };

type RecordBase = {
  /** Position in recorded order; sync sends in ascending seq. */
  seq: number;
  clientTempId: string;
  sale: OfflineSale;
  /** Times a request carrying this sale failed for a transient reason (network, 5xx). */
  attempts: number;
  /** With `sale.receiptNumber`: the till that numbered it (not sent; the server knows the till from its credential). */
  receiptTill?: ReceiptTill;
};

/** Recorded, waiting for a sync. */
export type PendingRecord = RecordBase & { state: "pending"; synced: false };
/** In a request that has not answered yet. After a crash it is sent again (the server is idempotent). */
export type SyncingRecord = RecordBase & { state: "syncing"; synced: false; sendingSince: string };
/** On the server: it has a server id and an order number. Pruned after the retention period. */
export type SyncedRecord = RecordBase & {
  state: "synced";
  synced: true;
  serverId: string;
  orderId: string;
  syncedAt: string;
  warnings: string[];
};
/** The server rejected it (e.g. unknown product). Not retried until `retry()`; `discard()` drops it. */
export type FailedRecord = RecordBase & { state: "failed"; synced: false; syncError: string };

export type OutboxRecord = PendingRecord | SyncingRecord | SyncedRecord | FailedRecord;
export type OutboxState = OutboxRecord["state"];

/** Anything not yet on the server, in recorded order: what the UI shows as waiting. */
export function isUnsynced(record: OutboxRecord): boolean {
  switch (record.state) {
    case "pending":
    case "syncing":
    case "failed":
      return true;
    case "synced":
      return false;
    default:
      return assertNever(record);
  }
}

/** Eligible for the next automatic send. A record left `syncing` by a crash is sent again. */
export function isSendable(record: OutboxRecord): boolean {
  switch (record.state) {
    case "pending":
    case "syncing":
      return true;
    case "synced":
    case "failed":
      return false;
    default:
      return assertNever(record);
  }
}

export function toPending(record: OutboxRecord): PendingRecord {
  const { seq, clientTempId, sale, attempts, receiptTill } = record;
  return { seq, clientTempId, sale, attempts, ...(receiptTill ? { receiptTill } : {}), state: "pending", synced: false };
}

/** `pending` counts `syncing` too: both are "not on the server yet, not rejected". */
export type OutboxCounts = { pending: number; synced: number; failed: number };

/** What the outbox's pages hold: sales here, and the customers and refunds of the entity outbox. */
export type PagedRecord = { seq: number; clientTempId: string; state: OutboxState };

export function countRecords(records: readonly PagedRecord[]): OutboxCounts {
  const counts = { pending: 0, synced: 0, failed: 0 };
  for (const record of records) {
    switch (record.state) {
      case "pending":
      case "syncing":
        counts.pending++;
        break;
      case "synced":
        counts.synced++;
        break;
      case "failed":
        counts.failed++;
        break;
      default:
        assertNever(record.state);
    }
  }
  return counts;
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
