import type { Tx } from "../db/transaction";

/**
 * The one way stock changes: atomically (`stock = stock + delta`, never read-modify-write), with
 * products locked in id order so concurrent batches cannot deadlock, and with the low-stock
 * notification raised or refreshed in the same statement (one unread notification per product).
 * The caller writes the matching ledger rows in the same transaction.
 *
 * The lock is FOR NO KEY UPDATE, not FOR UPDATE: inserting sale_items and ledger rows takes
 * FOR KEY SHARE on the product through their foreign keys, and FOR UPDATE would wait on a
 * concurrent transaction's key-share lock while that one waits on ours (a deadlock per pair).
 */
export async function applyStockDeltas(
  tx: Tx,
  shopId: string,
  deltas: ReadonlyMap<string, number>,
): Promise<{ id: string; stock: number }[]> {
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
