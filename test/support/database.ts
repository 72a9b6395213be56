import type { DataSource } from "typeorm";

/** Reads straight from the database, to assert on what was written, not on what the API says. */
export async function saleRowsFor(ds: DataSource, shopId: string, clientTempId: string) {
  return ds.query(
    `SELECT s.id::text AS id, s.order_id, s.customer_id::text AS customer_id, s.total_cents::int AS total_cents,
            s.needs_review, s.review_reasons, s.sold_at
       FROM sales s WHERE s.shop_id = $1 AND s.client_temp_id = $2`,
    [shopId, clientTempId],
  ) as Promise<{ id: string; order_id: string; customer_id: string | null; total_cents: number; needs_review: boolean; review_reasons: string[]; sold_at: Date }[]>;
}

export async function countRows(ds: DataSource, table: string, shopId: string, where = "true", params: unknown[] = []): Promise<number> {
  const rows: { n: number }[] = await ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE shop_id = $1 AND ${where}`, [shopId, ...params]);
  return rows[0].n;
}

export async function stockOf(ds: DataSource, shopId: string, productId: string): Promise<number> {
  const rows: { stock: number }[] = await ds.query(`SELECT stock FROM products WHERE shop_id = $1 AND id = $2`, [shopId, productId]);
  return rows[0].stock;
}

export async function ledgerSum(ds: DataSource, shopId: string, productId: string): Promise<number> {
  const rows: { n: number }[] = await ds.query(
    `SELECT COALESCE(sum(quantity_delta), 0)::int AS n FROM stock_movements WHERE shop_id = $1 AND product_id = $2`,
    [shopId, productId],
  );
  return rows[0].n;
}

export async function shopTotals(ds: DataSource, shopId: string) {
  return {
    sales: await countRows(ds, "sales", shopId),
    items: await countRows(ds, "sale_items", shopId),
    mappings: await countRows(ds, "offline_sale_syncs", shopId),
    movements: await countRows(ds, "stock_movements", shopId, "reason = 'sale'"),
  };
}
