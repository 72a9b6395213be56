import type { Tx } from "../db/transaction";

/**
 * The stock ledger: the only writer of `stock_movements` and of `products.stock`. Every change of
 * stock is a movement row and the matching atomic update (`stock = stock + delta`, never
 * read-modify-write) in the caller's transaction, so the ledger always explains the stock.
 *
 * Products are locked in id order so concurrent batches cannot deadlock. The lock is FOR NO KEY
 * UPDATE, not FOR UPDATE: inserting sale_items and ledger rows takes FOR KEY SHARE on the product
 * through their foreign keys, and FOR UPDATE would wait on a concurrent transaction's key-share
 * lock while that one waits on ours (a deadlock per pair).
 */

export type MovementReason = "initial" | "sale" | "adjustment" | "refund";
export type Movement = { productId: string; delta: number; reason: MovementReason; note?: string | null; saleId?: string | null };

/** Movements and their stock changes together (an adjustment, a delivery); returns the new levels. */
export async function recordMovements(
  tx: Tx,
  shopId: string,
  createdBy: string | null,
  movements: Movement[],
): Promise<{ id: string; stock: number }[]> {
  if (movements.length === 0) return [];
  const updated = await applyStockDeltas(tx, shopId, deltasOf(movements));
  if (updated.length === 0) return [];
  await tx.sql(
    `INSERT INTO stock_movements (shop_id, product_id, quantity_delta, reason, note, sale_id, created_by)
     SELECT $1, m.product_id, m.delta, m.reason, m.note, m.sale_id, $2
       FROM unnest($3::uuid[], $4::int[], $5::text[], $6::text[], $7::uuid[]) AS m(product_id, delta, reason, note, sale_id)`,
    [
      shopId,
      createdBy,
      movements.map((m) => m.productId),
      movements.map((m) => m.delta),
      movements.map((m) => m.reason),
      movements.map((m) => m.note ?? null),
      movements.map((m) => m.saleId ?? null),
    ],
  );
  return updated;
}

/**
 * A new product's opening stock is its first movement, so stock is explained from day one. It is
 * set, not added, and raises no low-stock notification: nothing was sold.
 */
export async function recordOpeningStock(tx: Tx, shopId: string, productId: string, quantity: number, createdBy: string | null): Promise<void> {
  await tx.sql(
    `WITH opened AS (UPDATE products SET stock = $3 WHERE shop_id = $1 AND id = $2 RETURNING id)
     INSERT INTO stock_movements (shop_id, product_id, quantity_delta, reason, note, created_by)
     SELECT $1, id, $3, 'initial', 'opening stock', $4 FROM opened`,
    [shopId, productId, quantity, createdBy],
  );
}

/**
 * The sale writer inserts a sale's lines and their movements in ONE statement (a line can never
 * miss its movement). This is that statement's ledger part: a CTE over `linesCte`, whose rows have
 * sale_id, product_id and quantity; `$1` is the shop and `$2` the user. Stock follows with
 * `applySaleStock` in the same transaction.
 */
export function saleMovementsCte(linesCte: string): string {
  return `INSERT INTO stock_movements (shop_id, product_id, quantity_delta, reason, sale_id, created_by)
         SELECT $1, product_id, -quantity, 'sale', sale_id, $2 FROM ${linesCte}`;
}

/**
 * The refund writer's counterpart of saleMovementsCte: `restockedLines` yields refund_id,
 * product_id and quantity of the lines a refund puts back on the shelf (restock: true); each gets
 * a `refund` movement in the statement that inserts the lines. Stock follows with applyRefundStock.
 */
export function refundMovementsCte(restockedLines: string): string {
  return `INSERT INTO stock_movements (shop_id, product_id, quantity_delta, reason, refund_id, created_by)
         SELECT $1, product_id, quantity, 'refund', refund_id, $2 FROM (${restockedLines}) restocked`;
}

/** A restocked refund puts its quantities back, atomically, like a sale takes them. */
export async function applyRefundStock(tx: Tx, shopId: string, lines: { productId: string; quantity: number }[]): Promise<void> {
  await applyStockDeltas(tx, shopId, deltasOf(lines.map((l) => ({ productId: l.productId, delta: l.quantity }))));
}

/** Server wins: stock is decremented atomically and may go negative. */
export async function applySaleStock(tx: Tx, shopId: string, lines: { productId: string; quantity: number }[]): Promise<void> {
  await applyStockDeltas(tx, shopId, deltasOf(lines.map((l) => ({ productId: l.productId, delta: -l.quantity }))));
}

function deltasOf(movements: { productId: string; delta: number }[]): Map<string, number> {
  const deltas = new Map<string, number>();
  for (const m of movements) deltas.set(m.productId, (deltas.get(m.productId) ?? 0) + m.delta);
  return deltas;
}

/**
 * Locks in id order, then one atomic update, raising or refreshing the low-stock notification in
 * the same statement (one unread notification per product).
 */
async function applyStockDeltas(tx: Tx, shopId: string, deltas: ReadonlyMap<string, number>): Promise<{ id: string; stock: number }[]> {
  const productIds = [...deltas.keys()].sort();
  if (productIds.length === 0) return [];
  await tx.sql(`SELECT 1 FROM products WHERE shop_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR NO KEY UPDATE`, [
    shopId,
    productIds,
  ]);
  return tx.sql<{ id: string; stock: number }>(
    `WITH updated AS (
       UPDATE products p
          SET stock = p.stock + d.delta, updated_at = now()
         FROM unnest($2::uuid[], $3::bigint[]) AS d(id, delta)
        WHERE p.shop_id = $1 AND p.id = d.id
       RETURNING p.id, p.name, p.stock, p.low_stock_threshold
     ), raised AS (
       INSERT INTO notifications (shop_id, type, product_id, message, stock)
       SELECT $1, 'LOW_STOCK', id,
              format('Low stock: %s has %s left (threshold %s)', name, stock, low_stock_threshold), stock
         FROM updated
        WHERE stock <= low_stock_threshold
        ORDER BY id
       ON CONFLICT (shop_id, product_id, type) WHERE read_at IS NULL
       DO UPDATE SET stock = EXCLUDED.stock, message = EXCLUDED.message, updated_at = now()
     )
     SELECT id::text AS id, stock FROM updated`,
    [shopId, productIds, productIds.map((id) => deltas.get(id)!)],
  );
}
