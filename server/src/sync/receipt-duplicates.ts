import type { RequestContext } from "../auth/request-context";
import type { Tx } from "../db/transaction";
import type { PreparedSale } from "./prepared-sale";
import { type NewSaleVerdict, type UsedReceipts, duplicateReceiptReason, reviewWarning } from "./sale-rules";

/**
 * Receipt numbers are the till's own counter, so a duplicate is only possible within one till:
 * a sale sent with a user's token keeps its number as given, without a till, and is never compared.
 *
 * Two of one till's batches written at once (two tabs, two server processes) could each miss the
 * other's sale with the same number; a transaction-scoped advisory lock per till serialises them.
 * It is taken before anything else of the transaction that is locked (products, mappings), always
 * alone, so it adds no lock-order cycle. Batches without receipt numbers never take it.
 */
export async function lookUpUsedReceipts(tx: Tx, ctx: RequestContext, sales: { receiptNumber: number | null }[]): Promise<UsedReceipts | null> {
  const numbers = [...new Set(sales.map((s) => s.receiptNumber).filter((n): n is number => n !== null))];
  if (ctx.tillId === null || numbers.length === 0) return null;
  await tx.sql(`SELECT pg_advisory_xact_lock(pos_sync_receipts_key($1::uuid, $2::uuid))`, [ctx.shopId, ctx.tillId]);
  const rows = await tx.sql<{ code: string; n: number | null; order_id: string | null }>(
    `SELECT t.code, r.receipt_number AS n, r.order_id
       FROM tills t
       LEFT JOIN LATERAL (
         SELECT DISTINCT ON (u.receipt_number) u.receipt_number, u.order_id
           FROM (SELECT s.receipt_number, 'sale ' || s.order_id AS order_id, s.synced_at, s.id
                   FROM sales s
                  WHERE s.shop_id = t.shop_id AND s.till_id = t.id AND s.receipt_number = ANY($3::int[])
                 UNION ALL
                 SELECT f.receipt_number, 'refund ' || f.id::text, f.synced_at, f.id
                   FROM refunds f
                  WHERE f.shop_id = t.shop_id AND f.till_id = t.id AND f.receipt_number = ANY($3::int[])) u
          ORDER BY u.receipt_number, u.synced_at, u.id) r ON true
      WHERE t.shop_id = $1 AND t.id = $2`,
    [ctx.shopId, ctx.tillId, numbers],
  );
  if (rows.length === 0) return null;
  const used = new Map<number, string>();
  for (const row of rows) if (row.n !== null && row.order_id !== null) used.set(row.n, row.order_id);
  return { tillCode: rows[0].code, used };
}

type Row = { sale: PreparedSale; verdict: Extract<NewSaleVerdict, { kind: "accepted" }> };

/**
 * New sales of one batch that share a receipt number none of the till's stored sales has: the
 * first keeps it, the later ones are written after it, once its order number is known, so their
 * review reason can name it. Usually `later` is empty and the batch is written in one go.
 */
export function splitInBatchDuplicates<R extends Row>(rows: R[], receipts: UsedReceipts | null): { first: R[]; later: R[] } {
  if (!receipts) return { first: rows, later: [] };
  const seen = new Set<number>();
  const first: R[] = [];
  const later: R[] = [];
  for (const row of rows) {
    const n = row.sale.receiptNumber;
    if (n === null || receipts.used.has(n)) first.push(row);
    else if (seen.has(n)) later.push(row);
    else first.push(row), seen.add(n);
  }
  return { first, later };
}

/** Flags each later duplicate naming the order number the first one of its number was given. */
export function flagLaterDuplicates<R extends Row & { saleId: string }>(later: R[], first: R[], orderIds: ReadonlyMap<string, string>, receipts: UsedReceipts): void {
  const orderOf = new Map<number, string>();
  for (const row of first) {
    const n = row.sale.receiptNumber;
    if (n !== null && !orderOf.has(n) && orderIds.has(row.saleId)) orderOf.set(n, `sale ${orderIds.get(row.saleId)!}`);
  }
  for (const row of later) {
    const reason = duplicateReceiptReason(receipts.tillCode, row.sale.receiptNumber!, orderOf.get(row.sale.receiptNumber!)!);
    row.verdict = { ...row.verdict, needsReview: true, reviewReasons: [...row.verdict.reviewReasons, reason], warnings: [...row.verdict.warnings, reviewWarning(reason)] };
  }
}
