import { randomUUID } from "node:crypto";
import type { RequestContext } from "../auth/request-context";
import type { Tx } from "../db/transaction";
import { applySaleStock, saleMovementsCte } from "../inventory/stock-ledger";
import { newOrderNumber } from "./order-number";
import { lockRefundLinks } from "./refund-links";
import { type MappingRow, lookUpBatch, toStoredMapping } from "./sale-lookup";
import { flagLaterDuplicates, lookUpUsedReceipts, splitInBatchDuplicates } from "./receipt-duplicates";
import type { PreparedSale } from "./prepared-sale";
import { answerReplay, storedOriginal } from "./replay";
import { type NewSaleVerdict, judgeNewSale } from "./sale-rules";
import type { SaleOutcome } from "./sync.types";

/**
 * Writes a batch of prepared sales set-based, inside the caller's transaction: the same handful of
 * statements whatever the batch size, arrays passed with unnest() (no bind-parameter limit), and
 * the idempotency decided by the (shop_id, client_temp_id) unique key, never by a read-then-write.
 *
 * Order: stored replays are answered first (replay.ts), then the rules for a new sale are applied
 * (sale-rules.ts) to the rest, then the ids are claimed; a claim lost to a concurrent writer is a
 * replay too. Locks are always taken in a fixed order (mappings by clientTempId, products by id)
 * so that overlapping batches from many tills or servers cannot deadlock each other.
 *
 * `sales` must not repeat a clientTempId (the service resolves in-batch duplicates). The caller
 * that also writes refunds in the same transaction has taken the refund-link lock exclusively.
 */
export async function writeSales(tx: Tx, ctx: RequestContext, sales: PreparedSale[], linkLockHeld = false): Promise<SaleOutcome[]> {
  const outcomes = new Array<SaleOutcome>(sales.length);
  if (!linkLockHeld) await lockRefundLinks(tx, ctx.shopId, "shared");
  const receipts = await lookUpUsedReceipts(tx, ctx, sales);
  const { known, stored } = await lookUpBatch(tx, ctx.shopId, sales);
  known.receipts = receipts;
  const accepted: NewSaleRow[] = [];
  sales.forEach((sale, index) => {
    const original = stored.get(sale.clientTempId);
    if (original) return void (outcomes[index] = answerReplay(sale, storedOriginal(original)));
    const verdict = judgeNewSale(sale, known);
    if (verdict.kind === "refused") {
      outcomes[index] = { kind: "error", clientTempId: sale.clientTempId, error: verdict.error, retryable: false, code: verdict.code };
    } else {
      accepted.push({ index, sale, saleId: randomUUID(), verdict });
    }
  });
  if (accepted.length === 0) return outcomes;

  const claimed = await claimClientTempIds(tx, ctx, accepted);
  const raced = accepted.filter((row) => !claimed.has(row.sale.clientTempId));
  await answerRacedReplays(tx, ctx, raced, outcomes);
  const rows = accepted.filter((row) => claimed.has(row.sale.clientTempId));
  if (rows.length === 0) return outcomes;

  const { first, later } = splitInBatchDuplicates(rows, receipts);
  const orderIds = await insertSalesWithLines(tx, ctx, first);
  if (later.length > 0) {
    flagLaterDuplicates(later, first, orderIds, receipts!);
    for (const [saleId, orderId] of await insertSalesWithLines(tx, ctx, later)) orderIds.set(saleId, orderId);
  }
  await applySaleStock(tx, ctx.shopId, rows.flatMap((r) => r.sale.items));
  for (const row of rows) {
    outcomes[row.index] = {
      kind: "synced",
      clientTempId: row.sale.clientTempId,
      serverId: row.saleId,
      orderId: orderIds.get(row.saleId)!,
      status: "created",
      warnings: row.verdict.warnings,
    };
  }
  return outcomes;
}

/** The race is decided here: whoever inserts the mapping first owns the sale; the others see a conflict. */
async function claimClientTempIds(tx: Tx, ctx: RequestContext, claims: NewSaleRow[]): Promise<Set<string>> {
  const rows = await tx.sql<{ client_temp_id: string }>(
    `INSERT INTO offline_sale_syncs (shop_id, client_temp_id, sale_id, fingerprint)
     SELECT $1, t.client_temp_id, t.sale_id, t.fingerprint
       FROM unnest($2::uuid[], $3::uuid[], $4::text[]) AS t(client_temp_id, sale_id, fingerprint)
      ORDER BY t.client_temp_id
     ON CONFLICT (shop_id, client_temp_id) DO NOTHING
     RETURNING client_temp_id::text AS client_temp_id`,
    [ctx.shopId, claims.map((c) => c.sale.clientTempId), claims.map((c) => c.saleId), claims.map((c) => c.sale.fingerprint)],
  );
  return new Set(rows.map((r) => r.client_temp_id));
}

/** A claim lost to a concurrent writer that committed meanwhile: this statement's fresh snapshot sees the winner. */
async function answerRacedReplays(tx: Tx, ctx: RequestContext, raced: NewSaleRow[], outcomes: SaleOutcome[]): Promise<void> {
  if (raced.length === 0) return;
  const rows = await tx.sql<MappingRow>(
    `SELECT m.client_temp_id::text AS client_temp_id, m.sale_id::text AS sale_id, m.fingerprint, s.order_id
       FROM offline_sale_syncs m
       JOIN sales s ON s.shop_id = m.shop_id AND s.id = m.sale_id
      WHERE m.shop_id = $1 AND m.client_temp_id = ANY($2::uuid[])`,
    [ctx.shopId, raced.map((r) => r.sale.clientTempId)],
  );
  const byTempId = new Map(rows.map((r) => [r.client_temp_id, toStoredMapping(r)]));
  for (const { index, sale } of raced) {
    const original = byTempId.get(sale.clientTempId);
    // Only possible if the mapping vanished between two statements of this transaction.
    if (!original) throw new Error(`mapping for ${sale.clientTempId} conflicted but cannot be read`);
    outcomes[index] = answerReplay(sale, storedOriginal(original));
  }
}

type NewSaleRow = { index: number; sale: PreparedSale; saleId: string; verdict: Extract<NewSaleVerdict, { kind: "accepted" }> };

/**
 * $1 shop, $2 user (created_by), $3..$10, $19, $20 and $27 the sales' columns, $11..$17 the lines', $18 the
 * till, $21..$26 the payments'. A kept rejection of a clientTempId that is now recorded is resolved,
 * and the refunds recorded before their sale arrived are linked to it, in the same statement.
 */
const INSERT_SALES_WITH_LINES = `WITH new_sales AS (
     INSERT INTO sales (shop_id, id, order_id, client_temp_id, customer_id, total_cents, needs_review,
                        review_reasons, sold_at, created_by, till_id, staff_id, receipt_number, change_cents)
     SELECT $1, t.id, t.order_id, t.client_temp_id, t.customer_id, t.total_cents, t.needs_review,
            t.review_reasons::jsonb, t.sold_at, $2, $18::uuid, t.staff_id, t.receipt_number, t.change_cents
       FROM unnest($3::uuid[], $4::text[], $5::uuid[], $6::uuid[], $7::bigint[], $8::boolean[], $9::text[],
                   $10::timestamptz[], $19::uuid[], $20::int[], $27::bigint[])
         AS t(id, order_id, client_temp_id, customer_id, total_cents, needs_review, review_reasons, sold_at, staff_id,
              receipt_number, change_cents)
     ON CONFLICT (shop_id, order_id) DO NOTHING
     RETURNING id, client_temp_id
   ), resolved AS (
     UPDATE sale_rejections r SET resolved_at = now(), resolution = 'synced'
      WHERE r.shop_id = $1 AND r.kind = 'sale' AND r.resolved_at IS NULL AND r.client_temp_id IN (SELECT client_temp_id FROM new_sales)
   ), linked AS (
     UPDATE refunds f SET sale_id = n.id
       FROM new_sales n
      WHERE f.shop_id = $1 AND f.sale_id IS NULL AND f.sale_client_temp_id = n.client_temp_id
   ), new_payments AS (
     INSERT INTO payments (shop_id, sale_id, position, method, amount_cents, reference, offline)
     SELECT $1, p.sale_id, p.position, p.method, p.amount_cents, p.reference, p.offline
       FROM unnest($21::uuid[], $22::int[], $23::text[], $24::bigint[], $25::text[], $26::boolean[])
         AS p(sale_id, position, method, amount_cents, reference, offline)
      WHERE p.sale_id IN (SELECT id FROM new_sales)
   ), new_lines AS (
     INSERT INTO sale_items (shop_id, sale_id, product_id, position, quantity, unit_price_cents,
                             discount_percent, line_total_cents)
     SELECT $1, l.sale_id, l.product_id, l.position, l.quantity, l.unit_price_cents,
            l.discount_bp / 100.0, l.line_total_cents
       FROM unnest($11::uuid[], $12::uuid[], $13::int[], $14::int[], $15::bigint[], $16::int[], $17::bigint[])
         AS l(sale_id, product_id, position, quantity, unit_price_cents, discount_bp, line_total_cents)
      WHERE l.sale_id IN (SELECT id FROM new_sales)
     RETURNING sale_id, product_id, quantity
   ), movements AS (
     ${saleMovementsCte("new_lines")}
   )
   SELECT id::text AS id FROM new_sales`;

/**
 * Sales, their lines and the lines' ledger movements in one statement, so the ledger cannot miss
 * a line. Order numbers are random; a clash with an existing one (rare) skips that sale and its
 * lines, and only those are drawn again.
 */
async function insertSalesWithLines(tx: Tx, ctx: RequestContext, rows: NewSaleRow[]): Promise<Map<string, string>> {
  const orderIds = new Map<string, string>();
  let remaining = rows;
  for (let attempt = 0; remaining.length > 0; attempt++) {
    if (attempt === 10) throw new Error("could not allocate unique order numbers");
    const drawn = remaining.map(() => newOrderNumber());
    const lines = remaining.flatMap((r) => r.sale.items.map((item, position) => ({ saleId: r.saleId, item, position })));
    const payments = remaining.flatMap((r) => (r.sale.payments ?? []).map((p, position) => ({ saleId: r.saleId, p, position })));
    const inserted = await tx.sql<{ id: string }>(
      INSERT_SALES_WITH_LINES,
      [
        ctx.shopId,
        ctx.userId,
        remaining.map((r) => r.saleId),
        drawn,
        remaining.map((r) => r.sale.clientTempId),
        remaining.map((r) => r.verdict.customerId),
        remaining.map((r) => r.sale.totalCents),
        remaining.map((r) => r.verdict.needsReview),
        remaining.map((r) => JSON.stringify(r.verdict.reviewReasons)),
        remaining.map((r) => r.sale.soldAt),
        lines.map((l) => l.saleId),
        lines.map((l) => l.item.productId),
        lines.map((l) => l.position),
        lines.map((l) => l.item.quantity),
        lines.map((l) => l.item.unitPriceCents),
        lines.map((l) => l.item.discountBasisPoints),
        lines.map((l) => l.item.lineTotalCents),
        ctx.tillId,
        remaining.map((r) => r.verdict.staffId),
        remaining.map((r) => r.sale.receiptNumber),
        payments.map((x) => x.saleId),
        payments.map((x) => x.position),
        payments.map((x) => x.p.method),
        payments.map((x) => x.p.amountCents),
        payments.map((x) => x.p.reference),
        payments.map((x) => x.p.offline),
        remaining.map((r) => r.verdict.changeCents),
      ],
    );
    const done = new Set(inserted.map((r) => r.id));
    remaining.forEach((r, i) => {
      if (done.has(r.saleId)) orderIds.set(r.saleId, drawn[i]);
    });
    remaining = remaining.filter((r) => !done.has(r.saleId));
  }
  return orderIds;
}

