import type { EntityRecord } from "../outbox/entity-record";
import { type OutboxRecord, isUnsynced } from "../outbox/outbox-record";

/** What the till reports with each sync (`tillState`): the sales it still holds unsent, and their receipt numbers' range. */
export type TillState = { unsentCount: number; lowestReceipt: number | null; highestReceipt: number | null };

/** One entry of the till's receipt journal as the report counts it: a sale or a refund. */
type Held = { clientTempId: string; unsent: boolean; tillId?: string; receiptNumber?: number };

/**
 * What the till will still hold once the server has the request's own records: every unsent sale
 * and refund (failed ones too: the till still holds them) except those in the request (`sending`),
 * which the server counts as received when it takes them. The server tells from it a receipt
 * number on its way from one the till no longer has. Leaving the request's records out keeps the
 * report exact after the last batch (nothing held: every gap left is missing or rejected) without
 * a request of its own. Customers carry no receipt number and do not count.
 */
export function tillStateOf(sales: readonly OutboxRecord[], entities: readonly EntityRecord[], tillId: string, sending: ReadonlySet<string> = new Set()): TillState {
  const held: Held[] = [
    ...sales.map((r) => ({ clientTempId: r.clientTempId, unsent: isUnsynced(r), tillId: r.receiptTill?.id, receiptNumber: r.sale.receiptNumber })),
    ...entities.flatMap((r) =>
      r.kind === "refund" ? [{ clientTempId: r.clientTempId, unsent: r.state !== "synced", tillId: r.receiptTill?.id, receiptNumber: r.refund.receiptNumber }] : [],
    ),
  ];
  let unsentCount = 0;
  let lowestReceipt: number | null = null;
  let highestReceipt: number | null = null;
  for (const entry of held) {
    if (!entry.unsent || sending.has(entry.clientTempId)) continue;
    unsentCount++;
    const n = entry.receiptNumber;
    if (n === undefined || entry.tillId !== tillId) continue;
    lowestReceipt = lowestReceipt === null ? n : Math.min(lowestReceipt, n);
    highestReceipt = highestReceipt === null ? n : Math.max(highestReceipt, n);
  }
  return { unsentCount, lowestReceipt, highestReceipt };
}
