import { randomUUID } from "node:crypto";
import type { RequestContext } from "../auth/request-context";
import { type Sql, sqlStateOf } from "../db/transaction";
import { newOrderNumber } from "./order-number";
import type { PreparedSale } from "./prepared-sale";
import type { NewSaleVerdict } from "./sale-rules";

/** A sale the rules accepted, with the id it will get if its clientTempId is still free. */
export type NewSaleRow = { index: number; sale: PreparedSale; saleId: string; verdict: Extract<NewSaleVerdict, { kind: "accepted" }> };

export function newSaleRow(index: number, sale: PreparedSale, verdict: NewSaleRow["verdict"]): NewSaleRow {
  return { index, sale, saleId: randomUUID(), verdict };
}

/**
 * Writes accepted sales with ONE call of pos_sync_record_sales (migration 1769000000000: the
 * claim, sale, payments, lines, ledger, stock and notification rows, refunds waiting for the sale
 * linked, a kept rejection resolved). It works in autocommit (one round trip, its own
 * transaction) and inside a caller's transaction alike.
 *
 * Returns saleId -> order number for the sales it recorded; a sale missing from it lost its
 * clientTempId to a concurrent writer (a replay: the caller reads the winner). A sale whose random
 * order number was taken is written again with a new one, alone. With `checkReceipts` the call
 * takes the till's receipt lock and fails with PSR01 (isReceiptInUse) if a number is already
 * recorded, for a caller that judged without that lock.
 */
export async function recordSales(sql: Sql, ctx: RequestContext, rows: NewSaleRow[], checkReceipts: boolean): Promise<Map<string, string>> {
  const orderIds = new Map<string, string>();
  let remaining = rows;
  for (let attempt = 0; remaining.length > 0; attempt++) {
    if (attempt === 10) throw new Error("could not allocate unique order numbers");
    const answered = await sql<{ sale_id: string; order_id: string | null }>(
      `SELECT sale_id::text AS sale_id, order_id FROM pos_sync_record_sales(
         $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
         $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29)`,
      recordSalesParams(ctx, remaining, checkReceipts),
      "pos_sync_record_sales",
    );
    const clashed = new Set<string>();
    for (const r of answered) r.order_id === null ? clashed.add(r.sale_id) : orderIds.set(r.sale_id, r.order_id);
    remaining = remaining.filter((r) => clashed.has(r.saleId));
  }
  return orderIds;
}

/** The function's arguments in its order: the call, the sales' columns, the lines', the payments'. */
function recordSalesParams(ctx: RequestContext, rows: NewSaleRow[], checkReceipts: boolean): unknown[] {
  const lines = rows.flatMap((r) => r.sale.items.map((item, position) => ({ saleId: r.saleId, item, position })));
  const payments = rows.flatMap((r) => (r.sale.payments ?? []).map((p, position) => ({ saleId: r.saleId, p, position })));
  return [
    ctx.shopId,
    ctx.userId,
    ctx.tillId,
    checkReceipts,
    rows.map((r) => r.saleId),
    rows.map(() => newOrderNumber()),
    rows.map((r) => r.sale.clientTempId),
    rows.map((r) => r.verdict.customerId),
    rows.map((r) => r.sale.totalCents),
    rows.map((r) => r.verdict.needsReview),
    rows.map((r) => JSON.stringify(r.verdict.reviewReasons)),
    rows.map((r) => r.sale.soldAt),
    rows.map((r) => r.verdict.staffId),
    rows.map((r) => r.sale.receiptNumber),
    rows.map((r) => r.verdict.changeCents),
    rows.map((r) => r.sale.fingerprint),
    lines.map((l) => l.saleId),
    lines.map((l) => l.item.productId),
    lines.map((l) => l.position),
    lines.map((l) => l.item.quantity),
    lines.map((l) => l.item.unitPriceCents),
    lines.map((l) => l.item.discountBasisPoints),
    lines.map((l) => l.item.lineTotalCents),
    payments.map((x) => x.saleId),
    payments.map((x) => x.position),
    payments.map((x) => x.p.method),
    payments.map((x) => x.p.amountCents),
    payments.map((x) => x.p.reference),
    payments.map((x) => x.p.offline),
  ];
}

/** Raised by pos_sync_record_sales under the till's lock: write the batch on the flagging path. */
export function isReceiptInUse(error: unknown): boolean {
  return sqlStateOf(error) === "PSR01";
}
