import type { DataSource } from "typeorm";
import { type RequestContext, requirePermission } from "../auth/request-context";
import type { PaymentMethod } from "../sync/tenders";
import { decodeCursor, encodeKeyset } from "./sale.service";

/** A recorded refund as read back (money in cents). */
export type RefundRow = {
  id: string;
  clientTempId: string;
  saleId: string | null;
  saleClientTempId: string | null;
  saleServerId: string | null;
  totalCents: number;
  reason: string | null;
  restock: boolean;
  refundedAt: Date;
  syncedAt: Date;
  tillId: string | null;
  staffId: string | null;
  receiptNumber: number | null;
  needsReview: boolean;
  reviewReasons: string[];
};
export type RefundLineRow = { refundId: string; productId: string; quantity: number; amountCents: number };
export type PaymentRow = { ownerId: string; method: PaymentMethod; amountCents: number; reference: string | null; offline: boolean };
export type RefundPage = { items: RefundRow[]; nextCursor: string | null };

const COLUMNS = `id::text AS id, client_temp_id::text AS "clientTempId", sale_id::text AS "saleId",
  sale_client_temp_id::text AS "saleClientTempId", sale_server_id::text AS "saleServerId", total_cents::text AS "totalCents",
  reason, restock, refunded_at AS "refundedAt", synced_at AS "syncedAt", till_id::text AS "tillId", staff_id::text AS "staffId",
  receipt_number AS "receiptNumber", needs_review AS "needsReview", review_reasons AS "reviewReasons"`;

const toRow = (r: RefundRow & { totalCents: string | number }): RefundRow => ({
  ...r,
  totalCents: Number(r.totalCents),
  refundedAt: new Date(r.refundedAt),
  syncedAt: new Date(r.syncedAt),
});

/** Reads of refunds and of tenders; writes happen only through the sync (sync/refund-writer.ts). */
export class RefundService {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest first (when the refund happened), keyset-paginated with the sales' cursor form. */
  async list(ctx: RequestContext, first = 50, after?: string | null): Promise<RefundPage> {
    requirePermission(ctx, "sales:read");
    const limit = Math.min(Math.max(first, 1), 200);
    const [at, id] = after ? decodeCursor(after) : [null, null];
    const rows: RefundRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM refunds
        WHERE shop_id = $1 AND ($2::timestamptz IS NULL OR (refunded_at, id) < ($2::timestamptz, $3::uuid))
        ORDER BY refunded_at DESC, id DESC LIMIT $4`,
      [ctx.shopId, at, id, limit + 1],
    );
    const items = rows.slice(0, limit).map(toRow);
    return { items, nextCursor: rows.length > limit ? encodeKeyset(items[limit - 1].refundedAt, items[limit - 1].id) : null };
  }

  /** The refunds linked to each sale, oldest first. */
  async bySaleIds(shopId: string, saleIds: readonly string[]): Promise<Map<string, RefundRow[]>> {
    const rows: RefundRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM refunds WHERE shop_id = $1 AND sale_id = ANY($2::uuid[]) ORDER BY refunded_at, id`,
      [shopId, [...saleIds]],
    );
    const bySale = new Map<string, RefundRow[]>(saleIds.map((id) => [id, []]));
    for (const row of rows) bySale.get(row.saleId!)?.push(toRow(row));
    return bySale;
  }

  async linesByRefundIds(shopId: string, refundIds: readonly string[]): Promise<Map<string, RefundLineRow[]>> {
    const rows: (RefundLineRow & { amountCents: string })[] = await this.dataSource.query(
      `SELECT refund_id::text AS "refundId", product_id::text AS "productId", quantity, amount_cents::text AS "amountCents"
         FROM refund_lines WHERE shop_id = $1 AND refund_id = ANY($2::uuid[]) ORDER BY refund_id, position`,
      [shopId, [...refundIds]],
    );
    const byRefund = new Map<string, RefundLineRow[]>(refundIds.map((id) => [id, []]));
    for (const row of rows) byRefund.get(row.refundId)?.push({ ...row, amountCents: Number(row.amountCents) });
    return byRefund;
  }

  /** Tenders of sales (`owner: "sale"`) or of refunds, in the order the till gave them. */
  async paymentsOf(shopId: string, owner: "sale" | "refund", ids: readonly string[]): Promise<Map<string, PaymentRow[]>> {
    const column = owner === "sale" ? "sale_id" : "refund_id";
    const rows: (PaymentRow & { amountCents: string })[] = await this.dataSource.query(
      `SELECT ${column}::text AS "ownerId", method, amount_cents::text AS "amountCents", reference, offline
         FROM payments WHERE shop_id = $1 AND ${column} = ANY($2::uuid[]) ORDER BY ${column}, position`,
      [shopId, [...ids]],
    );
    const byOwner = new Map<string, PaymentRow[]>(ids.map((id) => [id, []]));
    for (const row of rows) byOwner.get(row.ownerId)?.push({ ...row, amountCents: Number(row.amountCents) });
    return byOwner;
  }
}
