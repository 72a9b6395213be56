import type { KeyValueStorage } from "../storage/storage";
import type { OutboxRecord, ReceiptTill } from "./outbox-record";

/** Anything numbered from the till's one receipt journal: a sale's record, a refund's. */
export type Numbered = { receiptTill?: ReceiptTill; receiptNumber?: number };

/**
 * Each paired till numbers its sales 1, 2, 3, ... with no gap and no reuse, even across a crash.
 *
 * The number is part of the sale's outbox record, so it is stored by that record's one atomic page
 * write: a crash leaves the record (and its number) or neither. The next number is one more than
 * the highest in the outbox for that till, or than the highest remembered under
 * `<prefix>receipts:<tillId>` for records no longer in the outbox. That mark is written after the
 * page and, before any numbered record leaves the outbox (pruned once synced, or discarded), so a
 * number can never come back. Callers hold the outbox lock: two tabs never take the same number.
 */
export class ReceiptCounter {
  constructor(
    private readonly storage: KeyValueStorage,
    private readonly prefix: string,
  ) {}

  /** The number the till's next sale gets, given every record now in the outbox. */
  async next(till: ReceiptTill, records: readonly Numbered[]): Promise<number> {
    return Math.max(await this.remembered(till.id), highestIn(records, till.id)) + 1;
  }

  /** Raises the till's mark to the highest number among these records (never lowers it). */
  async remember(records: readonly Numbered[]): Promise<void> {
    const highest = new Map<string, number>();
    for (const { receiptTill, receiptNumber: n } of records) {
      if (receiptTill && n !== undefined) highest.set(receiptTill.id, Math.max(highest.get(receiptTill.id) ?? 0, n));
    }
    for (const [tillId, n] of highest) {
      if (n > (await this.remembered(tillId))) await this.storage.setItem(this.keyOf(tillId), String(n));
    }
  }

  private async remembered(tillId: string): Promise<number> {
    const raw = await this.storage.getItem(this.keyOf(tillId));
    const n = raw === null ? 0 : Number(raw);
    return Number.isSafeInteger(n) && n > 0 ? n : 0;
  }

  private keyOf(tillId: string): string {
    return `${this.prefix}receipts:${tillId}`;
  }
}

function highestIn(records: readonly Numbered[], tillId: string): number {
  let highest = 0;
  for (const r of records) if (r.receiptTill?.id === tillId && r.receiptNumber !== undefined) highest = Math.max(highest, r.receiptNumber);
  return highest;
}

/** A sale's record as numbered. */
export function numberedSale(record: OutboxRecord): Numbered {
  return { receiptTill: record.receiptTill, receiptNumber: record.sale.receiptNumber };
}

/** What a receipt shows: the till's code and the counter in six digits, e.g. `T03-000124`. */
export function receiptLabel(till: ReceiptTill, receiptNumber: number): string {
  return `${till.code}-${String(receiptNumber).padStart(6, "0")}`;
}

/** A record's receipt number as printed, or null for a sale recorded without a till. */
export function receiptOf(record: Pick<OutboxRecord, "sale" | "receiptTill">): string | null {
  return record.receiptTill && record.sale.receiptNumber !== undefined ? receiptLabel(record.receiptTill, record.sale.receiptNumber) : null;
}
