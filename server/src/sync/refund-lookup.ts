import type { Tx } from "../db/transaction";
import { isUuid } from "../shared/uuid";
import type { StoredEntity } from "./entity-outcome";
import type { PreparedRefund } from "./offline-refund";
import type { EarlierRefunds, ReferencedSale } from "./refund-rules";

/** What the database knows about a batch of refunds, in two round trips (the second only for linked sales). */
export type RefundLookup = {
  stored: Map<string, StoredEntity>;
  products: Set<string>;
  staff: Set<string>;
  offlineCardLimitCents: number | null;
  /** By the reference as sent: `c:<clientTempId>` or `s:<serverId>`. */
  sales: Map<string, ReferencedSale>;
  /** Earlier refunds linked to each known sale (by sale id). */
  earlier: Map<string, { quantities: Map<string, number>; cents: number }>;
};

export const saleRefKey = (r: PreparedRefund): string => (r.saleServerId ? `s:${r.saleServerId}` : `c:${r.saleClientTempId}`);

type Row = { k: string; ref: string; sale_id: string | null; order_id: string | null; n: string | null };

const LOOKUP = `SELECT 'f' AS k, client_temp_id::text AS ref, id::text AS sale_id, fingerprint AS order_id, NULL AS n
       FROM refunds WHERE shop_id = $1 AND client_temp_id = ANY($2::uuid[])
     UNION ALL
     SELECT 'p', id::text, NULL, NULL, NULL FROM products WHERE shop_id = $1 AND id = ANY($3::uuid[])
     UNION ALL
     SELECT 's', user_id::text, NULL, NULL, NULL FROM shop_memberships WHERE shop_id = $1 AND user_id = ANY($4::uuid[])
     UNION ALL
     SELECT 'o', id::text, NULL, NULL, offline_card_limit_cents::text FROM shops WHERE id = $1
     UNION ALL
     SELECT 'c', m.client_temp_id::text, s.id::text, s.order_id, s.total_cents::text
       FROM offline_sale_syncs m JOIN sales s ON s.shop_id = m.shop_id AND s.id = m.sale_id
      WHERE m.shop_id = $1 AND m.client_temp_id = ANY($5::uuid[])
     UNION ALL
     SELECT 'i', s.id::text, s.id::text, s.order_id, s.total_cents::text FROM sales s WHERE s.shop_id = $1 AND s.id = ANY($6::uuid[])
     UNION ALL
     SELECT 'r', r.client_temp_id::text, NULL, NULL, NULL
       FROM sale_rejections r WHERE r.shop_id = $1 AND r.kind = 'sale' AND r.client_temp_id = ANY($5::uuid[])`;

const SOLD_AND_REFUNDED = `SELECT 'sold' AS k, i.sale_id::text AS sale_id, i.product_id::text AS product_id, sum(i.quantity)::bigint::text AS n
       FROM sale_items i WHERE i.shop_id = $1 AND i.sale_id = ANY($2::uuid[]) GROUP BY i.sale_id, i.product_id
     UNION ALL
     SELECT 'back', f.sale_id::text, l.product_id::text, sum(l.quantity)::bigint::text
       FROM refunds f JOIN refund_lines l ON l.shop_id = f.shop_id AND l.refund_id = f.id
      WHERE f.shop_id = $1 AND f.sale_id = ANY($2::uuid[]) GROUP BY f.sale_id, l.product_id
     UNION ALL
     SELECT 'cents', f.sale_id::text, NULL, sum(f.total_cents)::text
       FROM refunds f WHERE f.shop_id = $1 AND f.sale_id = ANY($2::uuid[]) GROUP BY f.sale_id`;

/**
 * `rejectedInRequest`: the sales of this very request that were refused (their rejections are kept
 * only after the transaction), so a refund of one is judged as a refund of a rejected sale.
 */
export async function lookUpRefunds(tx: Tx, shopId: string, refunds: PreparedRefund[], rejectedInRequest: ReadonlySet<string>): Promise<RefundLookup> {
  const uuids = (values: (string | null)[]) => [...new Set(values)].filter(isUuid);
  const rows = await tx.sql<Row>(LOOKUP, [
    shopId,
    refunds.map((r) => r.clientTempId),
    uuids(refunds.flatMap((r) => r.lines.map((l) => l.productId))),
    uuids(refunds.map((r) => r.staffId)),
    uuids(refunds.map((r) => r.saleClientTempId)),
    uuids(refunds.map((r) => r.saleServerId)),
  ]);
  const found: RefundLookup = { stored: new Map(), products: new Set(), staff: new Set(), offlineCardLimitCents: null, sales: new Map(), earlier: new Map() };
  const rejected = new Set(rejectedInRequest);
  const knownSales: { key: string; saleId: string; orderId: string; totalCents: number }[] = [];
  for (const row of rows) {
    if (row.k === "f") found.stored.set(row.ref, { clientTempId: row.ref, serverId: row.sale_id!, fingerprint: row.order_id! });
    else if (row.k === "p") found.products.add(row.ref);
    else if (row.k === "s") found.staff.add(row.ref);
    else if (row.k === "o") found.offlineCardLimitCents = row.n === null ? null : Number(row.n);
    else if (row.k === "r") rejected.add(row.ref);
    else knownSales.push({ key: `${row.k === "c" ? "c" : "s"}:${row.ref}`, saleId: row.sale_id!, orderId: row.order_id!, totalCents: Number(row.n) });
  }
  const sold = await soldAndRefunded(tx, shopId, [...new Set(knownSales.map((s) => s.saleId))], found);
  for (const s of knownSales) found.sales.set(s.key, { kind: "known", saleId: s.saleId, orderId: s.orderId, totalCents: s.totalCents, sold: sold.get(s.saleId) ?? new Map() });
  for (const r of refunds) {
    const key = saleRefKey(r);
    if (found.sales.has(key)) continue;
    if (r.saleServerId) found.sales.set(key, { kind: "unknown" });
    else found.sales.set(key, { kind: rejected.has(r.saleClientTempId!) ? "rejected" : "pending" });
  }
  return found;
}

async function soldAndRefunded(tx: Tx, shopId: string, saleIds: string[], found: RefundLookup): Promise<Map<string, Map<string, number>>> {
  const sold = new Map<string, Map<string, number>>();
  if (saleIds.length === 0) return sold;
  const rows = await tx.sql<{ k: string; sale_id: string; product_id: string | null; n: string }>(SOLD_AND_REFUNDED, [shopId, saleIds]);
  const earlierOf = (saleId: string) => {
    let e = found.earlier.get(saleId);
    if (!e) found.earlier.set(saleId, (e = { quantities: new Map(), cents: 0 }));
    return e;
  };
  for (const row of rows) {
    if (row.k === "sold") {
      if (!sold.has(row.sale_id)) sold.set(row.sale_id, new Map());
      sold.get(row.sale_id)!.set(row.product_id!, Number(row.n));
    } else if (row.k === "back") earlierOf(row.sale_id).quantities.set(row.product_id!, Number(row.n));
    else earlierOf(row.sale_id).cents = Number(row.n);
  }
  return sold;
}

/** Earlier refunds of a sale, this request's accepted ones included (they count in request order). */
export function earlierOf(lookup: RefundLookup, saleId: string | null): EarlierRefunds {
  if (saleId === null) return { quantities: new Map(), cents: 0 };
  return lookup.earlier.get(saleId) ?? { quantities: new Map(), cents: 0 };
}

export function countAsEarlier(lookup: RefundLookup, saleId: string, refund: PreparedRefund): void {
  let e = lookup.earlier.get(saleId);
  if (!e) lookup.earlier.set(saleId, (e = { quantities: new Map(), cents: 0 }));
  for (const l of refund.lines) e.quantities.set(l.productId, (e.quantities.get(l.productId) ?? 0) + l.quantity);
  e.cents += refund.totalCents;
}
