import type { ClientBase } from "pg";
import type { BenchShop, RawSaleRows } from "./workload";

/**
 * The physical limit: the same rows the sync writes for a batch (idempotency mapping, sale, its
 * items, their ledger rows, the atomic stock decrement with products locked in id order, and the
 * low-stock notification upsert) in one transaction of five set-based statements, from a minimal
 * `pg` client with unnamed statements and nothing else in the way.
 */
export async function rawBatch(client: ClientBase, shop: BenchShop, sales: RawSaleRows[]): Promise<number> {
  await client.query("BEGIN");
  try {
    const claimed = await client.query<{ client_temp_id: string }>(
      `INSERT INTO offline_sale_syncs (shop_id, client_temp_id, sale_id, fingerprint)
       SELECT $1, t.c, t.s, t.f FROM unnest($2::uuid[], $3::uuid[], $4::text[]) AS t(c, s, f) ORDER BY t.c
       ON CONFLICT (shop_id, client_temp_id) DO NOTHING RETURNING client_temp_id::text`,
      [shop.shopId, sales.map((s) => s.clientTempId), sales.map((s) => s.saleId), sales.map((s) => s.fingerprint)],
    );
    const mine = new Set(claimed.rows.map((r) => r.client_temp_id));
    const fresh = sales.filter((s) => mine.has(s.clientTempId));
    await client.query(
      `INSERT INTO sales (shop_id, id, order_id, client_temp_id, total_cents, sold_at, created_by)
       SELECT $1, t.id, t.o, t.c, t.total, t.at, $2
         FROM unnest($3::uuid[], $4::text[], $5::uuid[], $6::bigint[], $7::timestamptz[]) AS t(id, o, c, total, at)`,
      [shop.shopId, shop.userId, fresh.map((s) => s.saleId), fresh.map((s) => s.orderId), fresh.map((s) => s.clientTempId), fresh.map((s) => s.totalCents), fresh.map((s) => s.soldAt)],
    );
    const lines = fresh.flatMap((s) => s.items.map((item, position) => ({ saleId: s.saleId, position, ...item })));
    await client.query(
      `WITH lines AS (
         INSERT INTO sale_items (shop_id, sale_id, product_id, position, quantity, unit_price_cents, discount_percent, line_total_cents)
         SELECT $1, t.s, t.p, t.pos, t.q, t.u, t.d / 100.0, t.l
           FROM unnest($3::uuid[], $4::uuid[], $5::int[], $6::int[], $7::bigint[], $8::int[], $9::bigint[]) AS t(s, p, pos, q, u, d, l)
         RETURNING sale_id, product_id, quantity
       )
       INSERT INTO stock_movements (shop_id, product_id, quantity_delta, reason, sale_id, created_by)
       SELECT $1, product_id, -quantity, 'sale', sale_id, $2 FROM lines`,
      [shop.shopId, shop.userId, lines.map((l) => l.saleId), lines.map((l) => l.productId), lines.map((l) => l.position), lines.map((l) => l.quantity), lines.map((l) => l.unitPriceCents), lines.map((l) => l.discountBp), lines.map((l) => l.lineTotalCents)],
    );
    const deltas = new Map<string, number>();
    for (const l of lines) deltas.set(l.productId, (deltas.get(l.productId) ?? 0) - l.quantity);
    const ids = [...deltas.keys()].sort();
    await client.query(`SELECT 1 FROM products WHERE shop_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR NO KEY UPDATE`, [shop.shopId, ids]);
    await client.query(
      `WITH updated AS (
         UPDATE products p SET stock = p.stock + d.delta, updated_at = now()
           FROM unnest($2::uuid[], $3::bigint[]) AS d(id, delta)
          WHERE p.shop_id = $1 AND p.id = d.id
         RETURNING p.id, p.name, p.stock, p.low_stock_threshold
       )
       INSERT INTO notifications (shop_id, type, product_id, message, stock)
       SELECT $1, 'LOW_STOCK', id, format('Low stock: %s has %s left (threshold %s)', name, stock, low_stock_threshold), stock
         FROM updated WHERE stock <= low_stock_threshold ORDER BY id
       ON CONFLICT (shop_id, product_id, type) WHERE read_at IS NULL
       DO UPDATE SET stock = EXCLUDED.stock, message = EXCLUDED.message, updated_at = now()`,
      [shop.shopId, ids, ids.map((id) => deltas.get(id)!)],
    );
    await client.query("COMMIT");
    return fresh.length;
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
}

/**
 * The limit for a batch that is already recorded, the fastest honest way: a replay writes nothing,
 * so no transaction and no claim; one indexed read of the mappings (their primary key) joined to
 * the sales answers every sale (its fingerprint to compare, its server id and order number), as a
 * named statement planned once per connection.
 */
export async function rawReplayBatch(client: ClientBase, shop: BenchShop, sales: RawSaleRows[]): Promise<number> {
  const { rows } = await client.query<{ client_temp_id: string; fingerprint: string }>({
    name: "bench-replay",
    text: `SELECT m.client_temp_id::text AS client_temp_id, m.sale_id::text AS sale_id, m.fingerprint, s.order_id
             FROM offline_sale_syncs m JOIN sales s ON s.shop_id = m.shop_id AND s.id = m.sale_id
            WHERE m.shop_id = $1 AND m.client_temp_id = ANY($2::uuid[])`,
    values: [shop.shopId, sales.map((s) => s.clientTempId)],
  });
  // The client side of a replay: each stored fingerprint compared with the one sent.
  const sent = new Map(sales.map((s) => [s.clientTempId, s.fingerprint]));
  return rows.filter((r) => r.fingerprint === sent.get(r.client_temp_id)).length;
}
