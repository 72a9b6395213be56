import { Client } from "pg";
import type { BenchShop, RawSaleRows } from "./workload";

/**
 * The one-sale raw limit: every row a one-sale sync writes (idempotency mapping, the sale, its
 * lines, their ledger rows, the stock decrement with the products locked in id order, the
 * low-stock notification upsert, the kept-rejection resolve and the refund link) in ONE statement
 * of data-modifying CTEs, in autocommit: one round trip and one commit per sale, nothing else.
 *
 * It is a named (prepared) statement: parsed and planned once per connection, so each sale costs
 * PostgreSQL only the execution. The server may not be able to do that for every statement; the
 * limit should be the fastest honest way, so it does.
 *
 * $1 shop, $2 created_by (the user; null for a till's credential), $3 till_id, $4 client temp id,
 * $5 sale id, $6 fingerprint, $7 order number, $8 total, $9 sold_at, $10..$14 the lines.
 */
const ONE_SALE = `WITH claim AS (
     INSERT INTO offline_sale_syncs (shop_id, client_temp_id, sale_id, fingerprint)
     VALUES ($1, $4, $5, $6)
     ON CONFLICT (shop_id, client_temp_id) DO NOTHING
     RETURNING sale_id, client_temp_id
   ), new_sale AS (
     INSERT INTO sales (shop_id, id, order_id, client_temp_id, customer_id, total_cents, needs_review,
                        review_reasons, sold_at, created_by, till_id, staff_id, receipt_number, change_cents)
     SELECT $1, sale_id, $7, client_temp_id, NULL, $8, false, '[]'::jsonb, $9, $2, $3, NULL, NULL, 0 FROM claim
     RETURNING id, client_temp_id
   ), resolved AS (
     UPDATE sale_rejections r SET resolved_at = now(), resolution = 'synced'
      WHERE r.shop_id = $1 AND r.kind = 'sale' AND r.resolved_at IS NULL AND r.client_temp_id IN (SELECT client_temp_id FROM new_sale)
   ), linked AS (
     UPDATE refunds f SET sale_id = n.id FROM new_sale n
      WHERE f.shop_id = $1 AND f.sale_id IS NULL AND f.sale_client_temp_id = n.client_temp_id
   ), new_lines AS (
     INSERT INTO sale_items (shop_id, sale_id, product_id, position, quantity, unit_price_cents, discount_percent, line_total_cents)
     SELECT $1, n.id, l.product_id, l.position::int - 1, l.quantity, l.unit_price_cents, l.discount_bp / 100.0, l.line_total_cents
       FROM new_sale n,
            unnest($10::uuid[], $11::int[], $12::bigint[], $13::int[], $14::bigint[])
              WITH ORDINALITY AS l(product_id, quantity, unit_price_cents, discount_bp, line_total_cents, position)
     RETURNING sale_id, product_id, quantity
   ), movements AS (
     INSERT INTO stock_movements (shop_id, product_id, quantity_delta, reason, sale_id, created_by)
     SELECT $1, product_id, -quantity, 'sale', sale_id, $2 FROM new_lines
   ), deltas AS (
     SELECT product_id, -sum(quantity)::bigint AS delta FROM new_lines GROUP BY product_id
   ), locked AS MATERIALIZED (
     -- Row locks in id order, taken last: the lock is held only until this statement's commit.
     SELECT p.id FROM products p WHERE p.shop_id = $1 AND p.id IN (SELECT product_id FROM deltas) ORDER BY p.id FOR NO KEY UPDATE
   ), updated AS (
     UPDATE products p SET stock = p.stock + d.delta, updated_at = now()
       FROM locked k JOIN deltas d ON d.product_id = k.id
      WHERE p.shop_id = $1 AND p.id = k.id
     RETURNING p.id, p.name, p.stock, p.low_stock_threshold
   ), raised AS (
     INSERT INTO notifications (shop_id, type, product_id, message, stock)
     SELECT $1, 'LOW_STOCK', id, format('Low stock: %s has %s left (threshold %s)', name, stock, low_stock_threshold), stock
       FROM updated WHERE stock <= low_stock_threshold ORDER BY id
     ON CONFLICT (shop_id, product_id, type) WHERE read_at IS NULL
     DO UPDATE SET stock = EXCLUDED.stock, message = EXCLUDED.message, updated_at = now()
   )
   SELECT (SELECT count(*) FROM new_sale)::int AS created`;

/** Who the rows say wrote them: the shop's user (created_by) or a till (till_id). */
export type RawWriter = { shop: BenchShop; createdBy: string | null; tillId: string | null };

export function oneSaleParams(w: RawWriter, s: RawSaleRows): unknown[] {
  return [
    w.shop.shopId,
    w.createdBy,
    w.tillId,
    s.clientTempId,
    s.saleId,
    s.fingerprint,
    s.orderId,
    s.totalCents,
    s.soldAt,
    s.items.map((i) => i.productId),
    s.items.map((i) => i.quantity),
    s.items.map((i) => i.unitPriceCents),
    s.items.map((i) => i.discountBp),
    s.items.map((i) => i.lineTotalCents),
  ];
}

/** One sale, one statement, autocommit; returns 1 when it was new. */
export async function rawOneSale(client: Client, w: RawWriter, s: RawSaleRows): Promise<number> {
  const { rows } = await client.query<{ created: number }>({ name: "bench-one-sale", text: ONE_SALE, values: oneSaleParams(w, s) });
  return rows[0].created;
}

export type RawOneSaleRun = { salesPerSecond: number; sales: number; seconds: number };

/**
 * `connections` pg clients at once, connection k writing as `writers[k % writers.length]` from
 * its own precomputed sales (made before the clock starts), each sale its own statement, until
 * `seconds` have passed or a connection's sales run out.
 */
export async function rawOneSaleRun(
  clients: Client[],
  writers: RawWriter[],
  salesOf: (k: number) => RawSaleRows[],
  seconds: number,
): Promise<RawOneSaleRun> {
  const pools = clients.map((_, k) => salesOf(k));
  let written = 0;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    clients.map(async (client, k) => {
      const writer = writers[k % writers.length];
      for (const sale of pools[k]) {
        if (Date.now() >= deadline) return;
        // Not `written += await ...`: that reads `written` before the await and loses the other connections' sales.
        const created = await rawOneSale(client, writer, sale);
        written += created;
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return { salesPerSecond: written / elapsed, sales: written, seconds: elapsed };
}

/** The raw phase's connections, opened (and their statements prepared by a first sale) outside any clock. */
export async function openClients(url: string, count: number): Promise<Client[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const client = new Client({ connectionString: url });
      await client.connect();
      return client;
    }),
  );
}
