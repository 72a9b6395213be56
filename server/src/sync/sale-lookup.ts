import type { Sql } from "../db/transaction";
import { isUuid } from "../shared/uuid";
import type { PreparedSale } from "./prepared-sale";
import type { StoredMapping } from "./replay";
import { type KnownReferences, listPriceKey } from "./sale-rules";

export type MappingRow = { client_temp_id: string; sale_id: string; fingerprint: string; order_id: string };
export const toStoredMapping = (r: MappingRow): StoredMapping => ({
  clientTempId: r.client_temp_id,
  saleId: r.sale_id,
  fingerprint: r.fingerprint,
  orderId: r.order_id,
});

type Row = { kind: "p" | "c" | "s" | "m" | "k" | "o" | "l" | "r"; id: string } & Partial<MappingRow>;

/** What one lookup knows: the references, the stored mappings, and the till's receipt numbers already used. */
export type BatchFacts = { known: KnownReferences; stored: Map<string, StoredMapping>; usedReceipts: ReadonlySet<number> };

/**
 * In one round trip: which products, customers and staff exist in this shop (and which products are
 * archived), the customers created offline by the temp ids the batch names (those of this request's
 * transaction included), the shop's offline card limit, which ids were synced before, and each
 * line's list price valid at its sale's createdAt (the first price for a sale before the product's
 * first one: a till clock behind, or a product recorded after the fact), and which of the batch's
 * receipt numbers `tillId` already used (without its lock: a hint for choosing the write path).
 * Prices are looked up only for sales not synced before, so a replayed batch costs the mapping read.
 */
export async function lookUpBatch(sql: Sql, shopId: string, sales: PreparedSale[], tillId: string | null = null): Promise<BatchFacts> {
  return foldBatch(await sql<Row>(BATCH_LOOKUP, batchParams(shopId, sales, tillId), "pos_sync_batch_lookup"));
}

/**
 * $7..$9 and $12: each line's (product, createdAt) by listPriceKey, with its sale's clientTempId.
 *
 * A named statement: PostgreSQL may plan it once for all shops (a generic plan, blind to how
 * many products or sales this shop has). So every row is fetched by its full key, one batch id at
 * a time, behind OFFSET 0 (the subquery cannot be flattened into a join the planner might turn
 * into a scan of the whole shop).
 */
const BATCH_LOOKUP = `WITH mapped AS MATERIALIZED (
       SELECT m.client_temp_id, m.sale_id, m.fingerprint
         FROM unnest($4::uuid[]) AS x(temp_id)
         CROSS JOIN LATERAL (SELECT client_temp_id, sale_id, fingerprint FROM offline_sale_syncs WHERE shop_id = $1 AND client_temp_id = x.temp_id OFFSET 0) m
     )
     SELECT 'p' AS kind, p.id::text AS id, to_char(p.archived_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS sale_id,
            NULL AS fingerprint, NULL AS order_id
       FROM unnest($2::uuid[]) AS x(id)
       CROSS JOIN LATERAL (SELECT id, archived_at FROM products WHERE shop_id = $1 AND id = x.id OFFSET 0) p
     UNION ALL
     SELECT 'c', c.id::text, NULL, NULL, NULL
       FROM unnest($3::uuid[]) AS x(id)
       CROSS JOIN LATERAL (SELECT id FROM customers WHERE shop_id = $1 AND id = x.id OFFSET 0) c
     UNION ALL
     SELECT 's', user_id::text, NULL, NULL, NULL FROM shop_memberships WHERE shop_id = $1 AND user_id = ANY($5::uuid[])
     UNION ALL
     SELECT 'k', c.client_temp_id::text, c.id::text, NULL, NULL
       FROM unnest($6::uuid[]) AS x(temp_id)
       CROSS JOIN LATERAL (SELECT id, client_temp_id FROM customers WHERE shop_id = $1 AND client_temp_id = x.temp_id OFFSET 0) c
     UNION ALL
     SELECT 'o', id::text, offline_card_limit_cents::text, NULL, NULL FROM shops WHERE id = $1
     UNION ALL
     SELECT 'm', m.client_temp_id::text, m.sale_id::text, m.fingerprint, s.order_id
       FROM mapped m
       CROSS JOIN LATERAL (SELECT order_id FROM sales WHERE shop_id = $1 AND id = m.sale_id OFFSET 0) s
     UNION ALL
     SELECT 'l', x.key, COALESCE(
              (SELECT price_cents FROM product_prices pp WHERE pp.shop_id = $1 AND pp.product_id = x.product_id AND pp.valid_from <= x.sold_at
                ORDER BY pp.valid_from DESC LIMIT 1),
              (SELECT price_cents FROM product_prices pp WHERE pp.shop_id = $1 AND pp.product_id = x.product_id ORDER BY pp.valid_from LIMIT 1))::text,
            NULL, NULL
       FROM (SELECT DISTINCT x.key, x.product_id, x.sold_at
               FROM unnest($7::text[], $8::uuid[], $9::timestamptz[], $12::uuid[]) AS x(key, product_id, sold_at, temp_id)
              WHERE x.temp_id NOT IN (SELECT client_temp_id FROM mapped)) x
     UNION ALL
     SELECT 'r', n::text, NULL, NULL, NULL
       FROM (SELECT receipt_number FROM sales WHERE shop_id = $1 AND till_id = $10 AND receipt_number = ANY($11::int[])
             UNION
             SELECT receipt_number FROM refunds WHERE shop_id = $1 AND till_id = $10 AND receipt_number = ANY($11::int[])) AS used(n)`;

function batchParams(shopId: string, sales: PreparedSale[], tillId: string | null): unknown[] {
  const distinct = <T>(values: T[]) => [...new Set(values)].filter(isUuid);
  const priced = sales.flatMap((s) => s.items.filter((i) => isUuid(i.productId)).map((i) => ({ productId: i.productId, soldAt: s.soldAt, tempId: s.clientTempId })));
  const receipts = tillId === null ? [] : [...new Set(sales.map((s) => s.receiptNumber).filter((n) => n !== null))];
  return [
    shopId,
    distinct(sales.flatMap((s) => s.items.map((i) => i.productId))),
    distinct(sales.map((s) => s.customerId)),
    sales.map((s) => s.clientTempId),
    distinct(sales.map((s) => s.staffId)),
    distinct(sales.map((s) => s.customerClientTempId)),
    priced.map((p) => listPriceKey(p.productId, p.soldAt)),
    priced.map((p) => p.productId),
    priced.map((p) => p.soldAt),
    tillId,
    receipts,
    priced.map((p) => p.tempId),
  ];
}

function foldBatch(rows: Row[]): BatchFacts {
  const sets = { p: new Set<string>(), c: new Set<string>(), s: new Set<string>() };
  const customersByTempId = new Map<string, string>();
  const archivedProducts = new Map<string, string>();
  const listPrices = new Map<string, number>();
  const known: KnownReferences = { products: sets.p, customers: sets.c, staff: sets.s, customersByTempId, offlineCardLimitCents: null, archivedProducts, listPrices };
  const stored = new Map<string, StoredMapping>();
  const usedReceipts = new Set<number>();
  for (const row of rows) {
    if (row.kind === "r") usedReceipts.add(Number(row.id));
    else if (row.kind === "m") stored.set(row.id, toStoredMapping({ ...(row as MappingRow), client_temp_id: row.id }));
    else if (row.kind === "k") customersByTempId.set(row.id, row.sale_id!);
    else if (row.kind === "o") known.offlineCardLimitCents = row.sale_id == null ? null : Number(row.sale_id);
    else if (row.kind === "l") listPrices.set(row.id, row.sale_id == null ? NaN : Number(row.sale_id));
    else sets[row.kind].add(row.id);
    if (row.kind === "p" && row.sale_id != null) archivedProducts.set(row.id, row.sale_id);
  }
  // A product without any price point (none is written without one) is not judged on price.
  for (const [key, cents] of listPrices) if (Number.isNaN(cents)) listPrices.delete(key);
  return { known, stored, usedReceipts };
}
