import type { RequestContext } from "../auth/request-context";
import type { Sql } from "../db/transaction";
import type { PreparedSale } from "./prepared-sale";
import { type NewSaleRow, isReceiptInUse, recordSales } from "./record-sales";
import { lookUpBatch } from "./sale-lookup";
import { judgeBatch, settleRecorded } from "./sale-writer";
import type { SaleOutcome } from "./sync.types";

/**
 * The common case in two round trips and no explicit transaction: one read (references, stored
 * mappings, prices, the till's used receipt numbers), the rules in TypeScript, then one call of
 * pos_sync_record_sales in autocommit. A batch of replays is answered by the read alone: nothing
 * is written and no transaction is opened.
 *
 * Returns null when the batch needs the flagging path instead (sale-writer.ts writeSales, in a
 * transaction under the till's receipt lock): a receipt number the till already used, or used
 * twice in the batch. The read is taken without that lock, so the call checks again under it
 * and answers PSR01 if a concurrent batch took a number meanwhile; nothing is written then.
 */
export async function writeSalesInOneTrip(sql: Sql, ctx: RequestContext, sales: PreparedSale[]): Promise<SaleOutcome[] | null> {
  const outcomes = new Array<SaleOutcome>(sales.length);
  const { known, stored, usedReceipts } = await lookUpBatch(sql, ctx.shopId, sales, ctx.tillId);
  const accepted = judgeBatch(sales, known, stored, outcomes);
  if (accepted.length === 0) return outcomes;
  if (ctx.tillId !== null && reusesReceipts(accepted, usedReceipts)) return null;
  let orderIds: Map<string, string>;
  try {
    orderIds = await recordSales(sql, ctx, accepted, true);
  } catch (error) {
    if (isReceiptInUse(error)) return null;
    throw error;
  }
  await settleRecorded(sql, ctx, accepted, orderIds, outcomes);
  return outcomes;
}

/** A receipt number already recorded for the till, or twice among the batch's new sales. */
function reusesReceipts(rows: NewSaleRow[], used: ReadonlySet<number>): boolean {
  const seen = new Set<number>();
  for (const { sale } of rows) {
    const n = sale.receiptNumber;
    if (n === null) continue;
    if (used.has(n) || seen.has(n)) return true;
    seen.add(n);
  }
  return false;
}
