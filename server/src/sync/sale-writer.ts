import { randomUUID } from "node:crypto";
import type { RequestContext } from "../auth/request-context";
import type { Tx } from "../db/transaction";
import { applySaleStock, saleMovementsCte } from "../inventory/stock-ledger";
import { isUuid } from "../shared/uuid";
import { newOrderNumber } from "./order-number";
import { flagLaterDuplicates, lookUpUsedReceipts, splitInBatchDuplicates } from "./receipt-duplicates";
import type { PreparedSale } from "./prepared-sale";
import { type StoredMapping, answerReplay, storedOriginal } from "./replay";
import { type KnownReferences, type NewSaleVerdict, judgeNewSale } from "./sale-rules";
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
 * `sales` must not repeat a clientTempId (the service resolves in-batch duplicates).
 */
export async function writeSales(tx: Tx, ctx: RequestContext, sales: PreparedSale[]): Promise<SaleOutcome[]> {
  const outcomes = new Array<SaleOutcome>(sales.length);
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

type MappingRow = { client_temp_id: string; sale_id: string; fingerprint: string; order_id: string };
const toStoredMapping = (r: MappingRow): StoredMapping => ({
  clientTempId: r.client_temp_id,
  saleId: r.sale_id,
  fingerprint: r.fingerprint,
  orderId: r.order_id,
});

/** In one round trip: which products, customers and staff exist in this shop, and which ids were synced before. */
async function lookUpBatch(
  tx: Tx,
  shopId: string,
  sales: PreparedSale[],
): Promise<{ known: KnownReferences; stored: Map<string, StoredMapping> }> {
  const productIds = [...new Set(sales.flatMap((s) => s.items.map((i) => i.productId)))].filter(isUuid);
  const customerIds = [...new Set(sales.map((s) => s.customerId))].filter(isUuid);
  const staffIds = [...new Set(sales.map((s) => s.staffId))].filter(isUuid);
  const rows = await tx.sql<{ kind: "p" | "c" | "s" | "m"; id: string } & Partial<MappingRow>>(
    `SELECT 'p' AS kind, id::text AS id, NULL AS sale_id, NULL AS fingerprint, NULL AS order_id
       FROM products WHERE shop_id = $1 AND id = ANY($2::uuid[])
     UNION ALL
     SELECT 'c', id::text, NULL, NULL, NULL FROM customers WHERE shop_id = $1 AND id = ANY($3::uuid[])
     UNION ALL
     SELECT 's', user_id::text, NULL, NULL, NULL FROM shop_memberships WHERE shop_id = $1 AND user_id = ANY($5::uuid[])
     UNION ALL
     SELECT 'm', m.client_temp_id::text, m.sale_id::text, m.fingerprint, s.order_id
       FROM offline_sale_syncs m JOIN sales s ON s.shop_id = m.shop_id AND s.id = m.sale_id
      WHERE m.shop_id = $1 AND m.client_temp_id = ANY($4::uuid[])`,
    [shopId, productIds, customerIds, sales.map((s) => s.clientTempId), staffIds],
  );
  const sets = { p: new Set<string>(), c: new Set<string>(), s: new Set<string>() };
  const known: KnownReferences = { products: sets.p, customers: sets.c, staff: sets.s };
  const stored = new Map<string, StoredMapping>();
  for (const row of rows) {
    if (row.kind === "m") stored.set(row.id, toStoredMapping({ ...(row as MappingRow), client_temp_id: row.id }));
    else sets[row.kind].add(row.id);
  }
  return { known, stored };
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
 * $1 shop, $2 user (created_by), $3..$10, $19 and $20 the sales' columns, $11..$17 the lines', $18 the till.
 * A kept rejection of a clientTempId that is now recorded is resolved in the same statement.
 */
const INSERT_SALES_WITH_LINES = `WITH new_sales AS (
     INSERT INTO sales (shop_id, id, order_id, client_temp_id, customer_id, total_cents, needs_review,
                        review_reasons, sold_at, created_by, till_id, staff_id, receipt_number)
     SELECT $1, t.id, t.order_id, t.client_temp_id, t.customer_id, t.total_cents, t.needs_review,
            t.review_reasons::jsonb, t.sold_at, $2, $18::uuid, t.staff_id, t.receipt_number
       FROM unnest($3::uuid[], $4::text[], $5::uuid[], $6::uuid[], $7::bigint[], $8::boolean[], $9::text[],
                   $10::timestamptz[], $19::uuid[], $20::int[])
         AS t(id, order_id, client_temp_id, customer_id, total_cents, needs_review, review_reasons, sold_at, staff_id,
              receipt_number)
     ON CONFLICT (shop_id, order_id) DO NOTHING
     RETURNING id, client_temp_id
   ), resolved AS (
     UPDATE sale_rejections r SET resolved_at = now(), resolution = 'synced'
      WHERE r.shop_id = $1 AND r.resolved_at IS NULL AND r.client_temp_id IN (SELECT client_temp_id FROM new_sales)
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

