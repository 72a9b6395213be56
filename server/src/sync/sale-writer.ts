import { randomUUID } from "node:crypto";
import type { RequestContext } from "../auth/request-context";
import type { Tx } from "../db/transaction";
import { applyStockDeltas } from "../inventory/stock-changes";
import { isUuid } from "../shared/uuid";
import { newOrderNumber } from "./order-number";
import type { PreparedSale } from "./prepared-sale";
import type { SaleOutcome } from "./sync.types";

/**
 * Writes a batch of prepared sales set-based, inside the caller's transaction: the same five or six
 * statements whatever the batch size, arrays passed with unnest() (no bind-parameter limit), and
 * the idempotency decided by the (shop_id, client_temp_id) unique key, never by a read-then-write.
 *
 * Locks are always taken in a fixed order (mappings by clientTempId, products by id) so that
 * overlapping batches from many tills or servers cannot deadlock each other.
 *
 * `sales` must not repeat a clientTempId (the service resolves in-batch duplicates).
 */
export async function writeSales(tx: Tx, ctx: RequestContext, sales: PreparedSale[]): Promise<SaleOutcome[]> {
  const outcomes = new Array<SaleOutcome>(sales.length);
  const known = await knownReferences(tx, ctx.shopId, sales);
  const pending = rejectUnknownProducts(sales, known.products, outcomes);
  if (pending.length === 0) return outcomes;

  const saleIds = new Map(pending.map((i) => [i, randomUUID()]));
  const claimed = await claimClientTempIds(tx, ctx, pending.map((i) => ({ sale: sales[i], saleId: saleIds.get(i)! })));
  const fresh = pending.filter((i) => claimed.has(sales[i].clientTempId));
  const replayed = pending.filter((i) => !claimed.has(sales[i].clientTempId));

  await answerReplays(tx, ctx, replayed.map((i) => ({ index: i, sale: sales[i] })), outcomes);
  if (fresh.length === 0) return outcomes;

  const rows = fresh.map((i) => {
    const sale = sales[i];
    const warnings = [...sale.warnings];
    let customerId = sale.customerId;
    if (customerId !== null && !known.customers.has(customerId)) {
      warnings.push(`Customer ${customerId} not found; the sale was recorded without a customer`);
      customerId = null;
    }
    return { index: i, sale, saleId: saleIds.get(i)!, customerId, warnings };
  });

  const orderIds = await insertSalesWithLines(tx, ctx, rows);
  await decrementStock(tx, ctx, rows.map((r) => r.sale));

  for (const row of rows) {
    outcomes[row.index] = {
      kind: "synced",
      clientTempId: row.sale.clientTempId,
      serverId: row.saleId,
      orderId: orderIds.get(row.saleId)!,
      status: "created",
      warnings: row.warnings,
    };
  }
  return outcomes;
}

/** Which of the batch's products and customers exist in this shop, in one round trip. */
async function knownReferences(
  tx: Tx,
  shopId: string,
  sales: PreparedSale[],
): Promise<{ products: Set<string>; customers: Set<string> }> {
  const productIds = [...new Set(sales.flatMap((s) => s.items.map((i) => i.productId)))].filter(isUuid);
  const customerIds = [...new Set(sales.map((s) => s.customerId))].filter(isUuid);
  const rows =
    productIds.length + customerIds.length === 0
      ? []
      : await tx.sql<{ kind: "p" | "c"; id: string }>(
          `SELECT 'p' AS kind, id::text AS id FROM products WHERE shop_id = $1 AND id = ANY($2::uuid[])
           UNION ALL
           SELECT 'c' AS kind, id::text AS id FROM customers WHERE shop_id = $1 AND id = ANY($3::uuid[])`,
          [shopId, productIds, customerIds],
        );
  const known = { products: new Set<string>(), customers: new Set<string>() };
  for (const row of rows) (row.kind === "p" ? known.products : known.customers).add(row.id);
  return known;
}

function rejectUnknownProducts(sales: PreparedSale[], known: Set<string>, outcomes: SaleOutcome[]): number[] {
  const pending: number[] = [];
  sales.forEach((sale, index) => {
    const missing = sale.items.find((item) => !known.has(item.productId));
    if (missing) {
      // Same words for a product that does not exist and one of another shop: nothing leaks.
      outcomes[index] = { kind: "error", clientTempId: sale.clientTempId, error: `Product ${missing.productId} not found`, retryable: false };
    } else {
      pending.push(index);
    }
  });
  return pending;
}

/** The race is decided here: whoever inserts the mapping first owns the sale; the others see a conflict. */
async function claimClientTempIds(
  tx: Tx,
  ctx: RequestContext,
  claims: { sale: PreparedSale; saleId: string }[],
): Promise<Set<string>> {
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

async function answerReplays(
  tx: Tx,
  ctx: RequestContext,
  replays: { index: number; sale: PreparedSale }[],
  outcomes: SaleOutcome[],
): Promise<void> {
  if (replays.length === 0) return;
  const rows = await tx.sql<{ client_temp_id: string; sale_id: string; fingerprint: string; order_id: string }>(
    `SELECT m.client_temp_id::text AS client_temp_id, m.sale_id::text AS sale_id, m.fingerprint, s.order_id
       FROM offline_sale_syncs m
       JOIN sales s ON s.shop_id = m.shop_id AND s.id = m.sale_id
      WHERE m.shop_id = $1 AND m.client_temp_id = ANY($2::uuid[])`,
    [ctx.shopId, replays.map((r) => r.sale.clientTempId)],
  );
  const byTempId = new Map(rows.map((r) => [r.client_temp_id, r]));
  for (const { index, sale } of replays) {
    const original = byTempId.get(sale.clientTempId);
    if (!original) {
      // Only possible if the mapping vanished between two statements of this transaction.
      throw new Error(`mapping for ${sale.clientTempId} conflicted but cannot be read`);
    }
    outcomes[index] =
      original.fingerprint === sale.fingerprint
        ? { kind: "synced", clientTempId: sale.clientTempId, serverId: original.sale_id, orderId: original.order_id, status: "existing", warnings: [] }
        : { kind: "error", clientTempId: sale.clientTempId, error: reusedIdMessage(sale.clientTempId), retryable: false };
  }
}

export function reusedIdMessage(clientTempId: string): string {
  return `clientTempId ${clientTempId} was already used for a different sale; the original was kept unchanged`;
}

type NewSaleRow = { sale: PreparedSale; saleId: string; customerId: string | null };

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
      `WITH new_sales AS (
         INSERT INTO sales (shop_id, id, order_id, client_temp_id, customer_id, total_cents, needs_review,
                            review_reasons, sold_at, created_by)
         SELECT $1, t.id, t.order_id, t.client_temp_id, t.customer_id, t.total_cents, t.needs_review,
                t.review_reasons::jsonb, t.sold_at, $2
           FROM unnest($3::uuid[], $4::text[], $5::uuid[], $6::uuid[], $7::bigint[], $8::boolean[], $9::text[],
                       $10::timestamptz[])
             AS t(id, order_id, client_temp_id, customer_id, total_cents, needs_review, review_reasons, sold_at)
         ON CONFLICT (shop_id, order_id) DO NOTHING
         RETURNING id
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
         INSERT INTO stock_movements (shop_id, product_id, quantity_delta, reason, sale_id, created_by)
         SELECT $1, product_id, -quantity, 'sale', sale_id, $2 FROM new_lines
       )
       SELECT id::text AS id FROM new_sales`,
      [
        ctx.shopId,
        ctx.userId,
        remaining.map((r) => r.saleId),
        drawn,
        remaining.map((r) => r.sale.clientTempId),
        remaining.map((r) => r.customerId),
        remaining.map((r) => r.sale.totalCents),
        remaining.map((r) => r.sale.needsReview),
        remaining.map((r) => JSON.stringify(r.sale.reviewReasons)),
        remaining.map((r) => r.sale.soldAt),
        lines.map((l) => l.saleId),
        lines.map((l) => l.item.productId),
        lines.map((l) => l.position),
        lines.map((l) => l.item.quantity),
        lines.map((l) => l.item.unitPriceCents),
        lines.map((l) => l.item.discountBasisPoints),
        lines.map((l) => l.item.lineTotalCents),
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

/** Server wins: stock is decremented atomically and may go negative. */
async function decrementStock(tx: Tx, ctx: RequestContext, sales: PreparedSale[]): Promise<void> {
  const deltas = new Map<string, number>();
  for (const sale of sales) {
    for (const item of sale.items) deltas.set(item.productId, (deltas.get(item.productId) ?? 0) - item.quantity);
  }
  await applyStockDeltas(tx, ctx.shopId, deltas);
}
