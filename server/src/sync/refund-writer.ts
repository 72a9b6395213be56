import { randomUUID } from "node:crypto";
import type { RequestContext } from "../auth/request-context";
import type { Tx } from "../db/transaction";
import { applyRefundStock, refundMovementsCte } from "../inventory/stock-ledger";
import { type EntityOutcome, answerEntityReplay } from "./entity-outcome";
import type { PreparedRefund } from "./offline-refund";
import { lookUpUsedReceipts } from "./receipt-duplicates";
import { countAsEarlier, earlierOf, lookUpRefunds, saleRefKey } from "./refund-lookup";
import { type NewRefundVerdict, judgeNewRefund, refundReviewWarning } from "./refund-rules";
import { type UsedReceipts, duplicateReceiptReason } from "./sale-rules";

type Accepted = { index: number; refund: PreparedRefund; id: string; verdict: Extract<NewRefundVerdict, { kind: "accepted" }> };

/**
 * Writes a batch of refunds set-based inside the request's transaction, after its sales (so a
 * refund of a sale of the same request finds it), holding the refund-link lock exclusively
 * (refund-links.ts). Stored ids are replays; the rest are judged (refund-rules.ts) in request order,
 * each counting against the refunds before it, then inserted with their lines, tenders and restock
 * movements in one statement; the stock follows through the ledger.
 * `refunds` must not repeat a clientTempId (the service resolves in-request duplicates).
 */
export async function writeRefunds(tx: Tx, ctx: RequestContext, refunds: PreparedRefund[], rejectedSales: ReadonlySet<string>): Promise<EntityOutcome[]> {
  const outcomes = new Array<EntityOutcome>(refunds.length);
  if (refunds.length === 0) return outcomes;
  const receipts = await lookUpUsedReceipts(tx, ctx, refunds);
  const lookup = await lookUpRefunds(tx, ctx.shopId, refunds, rejectedSales);
  const known = { products: lookup.products, staff: lookup.staff, receipts, offlineCardLimitCents: lookup.offlineCardLimitCents };
  const accepted: Accepted[] = [];
  refunds.forEach((refund, index) => {
    const original = lookup.stored.get(refund.clientTempId);
    if (original) return void (outcomes[index] = answerEntityReplay("refund", refund.clientTempId, refund.fingerprint, original));
    const sale = lookup.sales.get(saleRefKey(refund))!;
    const verdict = judgeNewRefund(refund, sale, earlierOf(lookup, sale.kind === "known" ? sale.saleId : null), known);
    if (verdict.kind === "refused") {
      outcomes[index] = { kind: "error", clientTempId: refund.clientTempId, error: verdict.error, retryable: false, code: verdict.code };
      return;
    }
    if (verdict.saleId) countAsEarlier(lookup, verdict.saleId, refund);
    accepted.push({ index, refund, id: randomUUID(), verdict });
  });
  flagInRequestDuplicates(accepted, receipts);
  if (accepted.length === 0) return outcomes;
  const won = await insertRefunds(tx, ctx, accepted);
  await applyRefundStock(tx, ctx.shopId, accepted.filter((a) => won.has(a.id) && a.refund.restock).flatMap((a) => a.refund.lines));
  for (const a of accepted) {
    // The refund-link lock serialises a shop's refund writers, so a lost claim cannot happen; if the
    // key says otherwise the transaction is retried as a whole and the replay rule answers.
    if (!won.has(a.id)) throw new Error(`refund ${a.refund.clientTempId} was claimed by a concurrent writer`);
    outcomes[a.index] = { kind: "synced", clientTempId: a.refund.clientTempId, serverId: a.id, status: "created", warnings: a.verdict.warnings };
  }
  return outcomes;
}

/** Refunds of one request that reuse a receipt number among themselves: the later ones are flagged. */
function flagInRequestDuplicates(accepted: Accepted[], receipts: UsedReceipts | null): void {
  if (!receipts) return;
  const first = new Map<number, string>();
  for (const a of accepted) {
    const n = a.refund.receiptNumber;
    if (n === null || receipts.used.has(n)) continue;
    const other = first.get(n);
    if (other === undefined) {
      first.set(n, a.id);
      continue;
    }
    const reason = duplicateReceiptReason(receipts.tillCode, n, `refund ${other}`);
    a.verdict = { ...a.verdict, needsReview: true, reviewReasons: [...a.verdict.reviewReasons, reason], warnings: [...a.verdict.warnings, refundReviewWarning(reason)] };
  }
}

/**
 * $1 shop, $2 user, $3 till, $4..$17 the refunds' columns, $18..$22 the lines', $23..$28 the tenders'.
 * A kept rejection of a clientTempId that is now recorded is resolved in the same statement.
 */
const INSERT_REFUNDS = `WITH new_refunds AS (
     INSERT INTO refunds (shop_id, id, client_temp_id, fingerprint, sale_id, sale_client_temp_id, sale_server_id, total_cents,
                          reason, restock, refunded_at, created_by, till_id, staff_id, receipt_number, needs_review, review_reasons)
     SELECT $1, r.id, r.client_temp_id, r.fingerprint, r.sale_id, r.sale_client_temp_id, r.sale_server_id, r.total_cents,
            r.reason, r.restock, r.refunded_at, $2, $3::uuid, r.staff_id, r.receipt_number, r.needs_review, r.review_reasons::jsonb
       FROM unnest($4::uuid[], $5::uuid[], $6::text[], $7::uuid[], $8::uuid[], $9::uuid[], $10::bigint[], $11::text[], $12::boolean[],
                   $13::timestamptz[], $14::uuid[], $15::int[], $16::boolean[], $17::text[])
         AS r(id, client_temp_id, fingerprint, sale_id, sale_client_temp_id, sale_server_id, total_cents, reason, restock,
              refunded_at, staff_id, receipt_number, needs_review, review_reasons)
      ORDER BY r.client_temp_id
     ON CONFLICT (shop_id, client_temp_id) DO NOTHING
     RETURNING id, client_temp_id, restock
   ), resolved AS (
     UPDATE sale_rejections x SET resolved_at = now(), resolution = 'synced'
      WHERE x.shop_id = $1 AND x.kind = 'refund' AND x.resolved_at IS NULL AND x.client_temp_id IN (SELECT client_temp_id FROM new_refunds)
   ), new_lines AS (
     INSERT INTO refund_lines (shop_id, refund_id, product_id, position, quantity, amount_cents)
     SELECT $1, l.refund_id, l.product_id, l.position, l.quantity, l.amount_cents
       FROM unnest($18::uuid[], $19::uuid[], $20::int[], $21::int[], $22::bigint[]) AS l(refund_id, product_id, position, quantity, amount_cents)
      WHERE l.refund_id IN (SELECT id FROM new_refunds)
     RETURNING refund_id, product_id, quantity
   ), new_payments AS (
     INSERT INTO payments (shop_id, refund_id, position, method, amount_cents, reference, offline)
     SELECT $1, p.refund_id, p.position, p.method, p.amount_cents, p.reference, p.offline
       FROM unnest($23::uuid[], $24::int[], $25::text[], $26::bigint[], $27::text[], $28::boolean[])
         AS p(refund_id, position, method, amount_cents, reference, offline)
      WHERE p.refund_id IN (SELECT id FROM new_refunds)
   ), movements AS (
     ${refundMovementsCte("SELECT l.refund_id, l.product_id, l.quantity FROM new_lines l JOIN new_refunds n ON n.id = l.refund_id WHERE n.restock")}
   )
   SELECT id::text AS id FROM new_refunds`;

async function insertRefunds(tx: Tx, ctx: RequestContext, rows: Accepted[]): Promise<Set<string>> {
  const lines = rows.flatMap((a) => a.refund.lines.map((line, position) => ({ id: a.id, line, position })));
  const payments = rows.flatMap((a) => (a.refund.payments ?? []).map((p, position) => ({ id: a.id, p, position })));
  const col = <T>(f: (a: Accepted) => T) => rows.map(f);
  const inserted = await tx.sql<{ id: string }>(INSERT_REFUNDS, [
    ctx.shopId,
    ctx.userId,
    ctx.tillId,
    col((a) => a.id),
    col((a) => a.refund.clientTempId),
    col((a) => a.refund.fingerprint),
    col((a) => a.verdict.saleId),
    col((a) => a.refund.saleClientTempId),
    col((a) => a.refund.saleServerId),
    col((a) => a.refund.totalCents),
    col((a) => a.refund.reason),
    col((a) => a.refund.restock),
    col((a) => a.refund.refundedAt),
    col((a) => a.verdict.staffId),
    col((a) => a.refund.receiptNumber),
    col((a) => a.verdict.needsReview),
    col((a) => JSON.stringify(a.verdict.reviewReasons)),
    lines.map((l) => l.id),
    lines.map((l) => l.line.productId),
    lines.map((l) => l.position),
    lines.map((l) => l.line.quantity),
    lines.map((l) => l.line.amountCents),
    payments.map((x) => x.id),
    payments.map((x) => x.position),
    payments.map((x) => x.p.method),
    payments.map((x) => x.p.amountCents),
    payments.map((x) => x.p.reference),
    payments.map((x) => x.p.offline),
  ]);
  return new Set(inserted.map((r) => r.id));
}
