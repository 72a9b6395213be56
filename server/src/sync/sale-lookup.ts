import type { Tx } from "../db/transaction";
import { isUuid } from "../shared/uuid";
import type { PreparedSale } from "./prepared-sale";
import type { StoredMapping } from "./replay";
import type { KnownReferences } from "./sale-rules";

export type MappingRow = { client_temp_id: string; sale_id: string; fingerprint: string; order_id: string };
export const toStoredMapping = (r: MappingRow): StoredMapping => ({
  clientTempId: r.client_temp_id,
  saleId: r.sale_id,
  fingerprint: r.fingerprint,
  orderId: r.order_id,
});

type Row = { kind: "p" | "c" | "s" | "m" | "k" | "o"; id: string } & Partial<MappingRow>;

/**
 * In one round trip: which products, customers and staff exist in this shop, the customers created
 * offline by the temp ids the batch names (those of this request's transaction included), the
 * shop's offline card limit, and which ids were synced before.
 */
export async function lookUpBatch(
  tx: Tx,
  shopId: string,
  sales: PreparedSale[],
): Promise<{ known: KnownReferences; stored: Map<string, StoredMapping> }> {
  const productIds = [...new Set(sales.flatMap((s) => s.items.map((i) => i.productId)))].filter(isUuid);
  const customerIds = [...new Set(sales.map((s) => s.customerId))].filter(isUuid);
  const staffIds = [...new Set(sales.map((s) => s.staffId))].filter(isUuid);
  const customerTempIds = [...new Set(sales.map((s) => s.customerClientTempId))].filter(isUuid);
  const rows = await tx.sql<Row>(
    `SELECT 'p' AS kind, id::text AS id, NULL AS sale_id, NULL AS fingerprint, NULL AS order_id
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
      WHERE m.shop_id = $1 AND m.client_temp_id = ANY($4::uuid[])`,
    [shopId, productIds, customerIds, sales.map((s) => s.clientTempId), staffIds, customerTempIds],
  );
  const sets = { p: new Set<string>(), c: new Set<string>(), s: new Set<string>() };
  const customersByTempId = new Map<string, string>();
  const known: KnownReferences = { products: sets.p, customers: sets.c, staff: sets.s, customersByTempId, offlineCardLimitCents: null };
  const stored = new Map<string, StoredMapping>();
  for (const row of rows) {
    if (row.kind === "m") stored.set(row.id, toStoredMapping({ ...(row as MappingRow), client_temp_id: row.id }));
    else if (row.kind === "k") customersByTempId.set(row.id, row.sale_id!);
    else if (row.kind === "o") known.offlineCardLimitCents = row.sale_id == null ? null : Number(row.sale_id);
    else sets[row.kind].add(row.id);
  }
  return { known, stored };
}
