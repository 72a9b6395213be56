import type { Tx } from "../db/transaction";

/**
 * The stock ledger: the only writer of `stock_movements` and of `products.stock`, with its SQL
 * counterpart pos_sync_record_sales for sales (migration 1769000000000: a sale's lines, their
 * movements and the stock change in one call). Every change of stock is a movement row and the
 * matching atomic update (`stock = stock + delta`, never read-modify-write) in the caller's
 * transaction, so the ledger always explains the stock.
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
 * The refund's ledger part (a sale's is in pos_sync_record_sales): `restockedLines` yields refund_id,
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

function deltasOf(movements: { productId: string; delta: number }[]): Map<string, number> {
  const deltas = new Map<string, number>();
  for (const m of movements) deltas.set(m.productId, (deltas.get(m.productId) ?? 0) + m.delta);
  return deltas;
}

/**
 * pos_sync_apply_stock (migration 1769000000000) is the one atomic stock update: products locked in
 * id order, `stock = stock + delta`, the low-stock notification raised or refreshed (one unread per
 * product), all in one call. A sale's stock goes through the same function from pos_sync_record_sales.
 */
async function applyStockDeltas(tx: Tx, shopId: string, deltas: ReadonlyMap<string, number>): Promise<{ id: string; stock: number }[]> {
  const productIds = [...deltas.keys()].sort();
  if (productIds.length === 0) return [];
  return tx.sql<{ id: string; stock: number }>(`SELECT changed_id::text AS id, new_stock AS stock FROM pos_sync_apply_stock($1, $2::uuid[], $3::bigint[])`, [
    shopId,
    productIds,
    productIds.map((id) => deltas.get(id)!),
  ]);
}
