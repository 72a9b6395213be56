import { type OutboxRecord, isUnsynced } from "../outbox/outbox-record";

/** What the till reports with each sync (`tillState`): the sales it still holds unsent, and their receipt numbers' range. */
export type TillState = { unsentCount: number; lowestReceipt: number | null; highestReceipt: number | null };

/**
 * What the till will still hold once the server has the request's own sales: every unsent record
 * (failed ones too: the till still holds them) except those in the request (`sending`), which the
 * server counts as received when it takes them. The server tells from it a receipt number on its
 * way from one the till no longer has. Leaving the request's sales out keeps the report exact after
 * the last batch (nothing held: every gap left is missing or rejected) without a request of its own.
 */
export function tillStateOf(records: readonly OutboxRecord[], tillId: string, sending: ReadonlySet<string> = new Set()): TillState {
  let unsentCount = 0;
  let lowestReceipt: number | null = null;
  let highestReceipt: number | null = null;
  for (const record of records) {
    if (!isUnsynced(record) || sending.has(record.clientTempId)) continue;
    unsentCount++;
    const n = record.sale.receiptNumber;
    if (n === undefined || record.receiptTill?.id !== tillId) continue;
    lowestReceipt = lowestReceipt === null ? n : Math.min(lowestReceipt, n);
    highestReceipt = highestReceipt === null ? n : Math.max(highestReceipt, n);
  }
  return { unsentCount, lowestReceipt, highestReceipt };
}
