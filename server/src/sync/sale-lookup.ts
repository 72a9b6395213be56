import type { Tx } from "../db/transaction";
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

type Row = { kind: "p" | "c" | "s" | "m" | "k" | "o" | "l"; id: string } & Partial<MappingRow>;

/**
 * In one round trip: which products, customers and staff exist in this shop (and which products are
 * archived), the customers created offline by the temp ids the batch names (those of this request's
 * transaction included), the shop's offline card limit, which ids were synced before, and each
 * line's list price valid at its sale's createdAt (the first price for a sale before the product's
 * first one: a till clock behind, or a product recorded after the fact).
 */
export async function lookUpBatch(
  tx: Tx,
  shopId: string,
  sales: PreparedSale[],
): Promise<{ known: KnownReferences; stored: Map<string, StoredMapping> }> {
  return foldBatch(await tx.sql<Row>(BATCH_LOOKUP, batchParams(shopId, sales)));
}

/** $7..$9: each distinct (product, createdAt) of the batch, by listPriceKey. */
const BATCH_LOOKUP = `SELECT 'p' AS kind, id::text AS id, to_char(archived_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS sale_id,
            NULL AS fingerprint, NULL AS order_id
       FROM products WHERE shop_id = $1 AND id = ANY($2::uuid[])
     UNION ALL
     SELECT 'c', id::text, NULL, NULL, NULL FROM customers WHERE shop_id = $1 AND id = ANY($3::uuid[])
     UNION ALL
     SELECT 's', user_id::text, NULL, NULL, NULL FROM shop_memberships WHERE shop_id = $1 AND user_id = ANY($5::uuid[])
     UNION ALL
     SELECT 'k', client_temp_id::text, id::text, NULL, NULL FROM customers WHERE shop_id = $1 AND client_temp_id = ANY($6::uuid[])
     UNION ALL
     SELECT 'o', id::text, offline_card_limit_cents::text, NULL, NULL FROM shops WHERE id = $1
     UNION ALL
     SELECT 'm', m.client_temp_id::text, m.sale_id::text, m.fingerprint, s.order_id
       FROM offline_sale_syncs m JOIN sales s ON s.shop_id = m.shop_id AND s.id = m.sale_id
      WHERE m.shop_id = $1 AND m.client_temp_id = ANY($4::uuid[])
     UNION ALL
     SELECT 'l', x.key, COALESCE(
              (SELECT price_cents FROM product_prices pp WHERE pp.shop_id = $1 AND pp.product_id = x.product_id AND pp.valid_from <= x.sold_at
                ORDER BY pp.valid_from DESC LIMIT 1),
              (SELECT price_cents FROM product_prices pp WHERE pp.shop_id = $1 AND pp.product_id = x.product_id ORDER BY pp.valid_from LIMIT 1))::text,
            NULL, NULL
       FROM unnest($7::text[], $8::uuid[], $9::timestamptz[]) AS x(key, product_id, sold_at)`;

function batchParams(shopId: string, sales: PreparedSale[]): unknown[] {
  const distinct = <T>(values: T[]) => [...new Set(values)].filter(isUuid);
  const priced = new Map<string, [string, string]>();
  for (const s of sales) for (const i of s.items) if (isUuid(i.productId)) priced.set(listPriceKey(i.productId, s.soldAt), [i.productId, s.soldAt]);
  return [
    shopId,
    distinct(sales.flatMap((s) => s.items.map((i) => i.productId))),
    distinct(sales.map((s) => s.customerId)),
    sales.map((s) => s.clientTempId),
    distinct(sales.map((s) => s.staffId)),
    distinct(sales.map((s) => s.customerClientTempId)),
    [...priced.keys()],
    [...priced.values()].map(([productId]) => productId),
    [...priced.values()].map(([, soldAt]) => soldAt),
  ];
}

function foldBatch(rows: Row[]): { known: KnownReferences; stored: Map<string, StoredMapping> } {
  const sets = { p: new Set<string>(), c: new Set<string>(), s: new Set<string>() };
  const customersByTempId = new Map<string, string>();
  const archivedProducts = new Map<string, string>();
  const listPrices = new Map<string, number>();
  const known: KnownReferences = { products: sets.p, customers: sets.c, staff: sets.s, customersByTempId, offlineCardLimitCents: null, archivedProducts, listPrices };
  const stored = new Map<string, StoredMapping>();
  for (const row of rows) {
    if (row.kind === "m") stored.set(row.id, toStoredMapping({ ...(row as MappingRow), client_temp_id: row.id }));
    else if (row.kind === "k") customersByTempId.set(row.id, row.sale_id!);
    else if (row.kind === "o") known.offlineCardLimitCents = row.sale_id == null ? null : Number(row.sale_id);
    else if (row.kind === "l") listPrices.set(row.id, row.sale_id == null ? NaN : Number(row.sale_id));
    else sets[row.kind].add(row.id);
    if (row.kind === "p" && row.sale_id != null) archivedProducts.set(row.id, row.sale_id);
  }
  // A product without any price point (none is written without one) is not judged on price.
  for (const [key, cents] of listPrices) if (Number.isNaN(cents)) listPrices.delete(key);
  return { known, stored };
}
