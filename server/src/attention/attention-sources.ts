import type { DataSource } from "typeorm";
import { receiptGaps } from "../receipts/receipt-gaps";
import { type AttentionItem, gapItemId, itemId } from "./attention-item";
import { missingReceiptsMessage, negativeStockMessage, refundReviewMessage, rejectionMessage, reviewMessage, silentTillMessage } from "./attention-messages";

/**
 * Where each kind of item comes from: one set-based query per kind, over the shop only. `referent`
 * narrows a query to one thing (resolveAttention looks an item up by its id); `limit` bounds the
 * kinds that can be numerous. Kinds whose resolution lives in the row itself (rejections) or is
 * final (reviews) are filtered in SQL; the others by attention-rules.ts.
 */
export type SourceQuery = { shopId: string; referent: string | null; includeResolved: boolean; limit: number; silenceHours: number };

type RejectionRow = {
  id: string;
  kind: "sale" | "refund";
  till_id: string | null;
  till_code: string | null;
  receipt_number: number | null;
  error_code: string;
  error_message: string;
  times_sent: number;
  first_seen_at: Date;
  last_seen_at: Date;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolution: string | null;
  note: string | null;
};

export async function rejectionItems(db: DataSource, q: SourceQuery): Promise<AttentionItem[]> {
  const rows: RejectionRow[] = await db.query(
    `SELECT r.id::text AS id, r.kind, r.till_id::text AS till_id, t.code AS till_code, r.receipt_number, r.error_code, r.error_message,
            r.times_sent, r.first_seen_at, r.last_seen_at, r.resolved_at, r.resolved_by::text AS resolved_by, r.resolution, r.note
       FROM sale_rejections r LEFT JOIN tills t ON t.shop_id = r.shop_id AND t.id = r.till_id
      WHERE r.shop_id = $1 AND ($2::boolean OR r.resolved_at IS NULL) AND ($3::uuid IS NULL OR r.id = $3::uuid)
      ORDER BY r.last_seen_at DESC, r.id LIMIT $4`,
    [q.shopId, q.includeResolved, q.referent, q.limit],
  );
  return rows.map((r) => ({
    id: itemId("rejection", r.id),
    kind: "rejection",
    tillId: r.till_id,
    at: new Date(r.last_seen_at),
    message: rejectionMessage({
      kind: r.kind,
      tillCode: r.till_code,
      receiptNumber: r.receipt_number,
      errorCode: r.error_code,
      errorMessage: r.error_message,
      timesSent: r.times_sent,
      firstSeenAt: new Date(r.first_seen_at),
    }),
    refersTo: { kind: "sale_rejection", id: r.id },
    version: String(r.times_sent),
    resolution: r.resolved_at
      ? { resolvedAt: new Date(r.resolved_at), resolvedBy: r.resolved_by, note: r.resolution === "synced" ? "Resolved by a later sync of the same sale" : r.note }
      : null,
  }));
}

type ReviewRow = { id: string; order_id: string; till_id: string | null; till_code: string | null; receipt_number: number | null; review_reasons: string[]; synced_at: Date };

/** A resolved review never comes back: the sale does not change. */
export async function reviewItems(db: DataSource, q: SourceQuery): Promise<AttentionItem[]> {
  const rows: ReviewRow[] = await db.query(
    `SELECT s.id::text AS id, s.order_id, s.till_id::text AS till_id, t.code AS till_code, s.receipt_number, s.review_reasons, s.synced_at
       FROM sales s LEFT JOIN tills t ON t.shop_id = s.shop_id AND t.id = s.till_id
      WHERE s.shop_id = $1 AND s.needs_review AND ($3::uuid IS NULL OR s.id = $3::uuid)
        AND ($2::boolean OR NOT EXISTS (
              SELECT 1 FROM attention_resolutions a WHERE a.shop_id = s.shop_id AND a.item_id = 'review:' || s.id::text))
      ORDER BY s.synced_at DESC, s.id LIMIT $4`,
    [q.shopId, q.includeResolved, q.referent, q.limit],
  );
  return rows.map((r) => ({
    id: itemId("review", r.id),
    kind: "review",
    tillId: r.till_id,
    at: new Date(r.synced_at),
    message: reviewMessage(r.order_id, r.till_code, r.receipt_number, r.review_reasons),
    refersTo: { kind: "sale", id: r.id },
    version: "1",
    resolution: null,
  }));
}

type RefundReviewRow = { id: string; order_id: string | null; till_id: string | null; till_code: string | null; receipt_number: number | null; review_reasons: string[]; synced_at: Date };

/** A refund flagged for review (unlinked, beyond what was sold, tenders off); resolved for good, like a sale's review. */
export async function refundReviewItems(db: DataSource, q: SourceQuery): Promise<AttentionItem[]> {
  const rows: RefundReviewRow[] = await db.query(
    `SELECT f.id::text AS id, s.order_id, f.till_id::text AS till_id, t.code AS till_code, f.receipt_number, f.review_reasons, f.synced_at
       FROM refunds f
       LEFT JOIN tills t ON t.shop_id = f.shop_id AND t.id = f.till_id
       LEFT JOIN sales s ON s.shop_id = f.shop_id AND s.id = f.sale_id
      WHERE f.shop_id = $1 AND f.needs_review AND ($3::uuid IS NULL OR f.id = $3::uuid)
        AND ($2::boolean OR NOT EXISTS (
              SELECT 1 FROM attention_resolutions a WHERE a.shop_id = f.shop_id AND a.item_id = 'refund-review:' || f.id::text))
      ORDER BY f.synced_at DESC, f.id LIMIT $4`,
    [q.shopId, q.includeResolved, q.referent, q.limit],
  );
  return rows.map((r) => ({
    id: itemId("refund_review", r.id),
    kind: "refund_review",
    tillId: r.till_id,
    at: new Date(r.synced_at),
    message: refundReviewMessage(r.till_code, r.receipt_number, r.order_id, r.review_reasons),
    refersTo: { kind: "refund", id: r.id },
    version: "1",
    resolution: null,
  }));
}

type TillRow = { id: string; code: string; name: string; state_reported_at: Date | null; unsent_count: number | null; seen_at: Date | null };

async function tillsOf(db: DataSource, shopId: string, tillId: string | null): Promise<TillRow[]> {
  return db.query(
    `SELECT id::text AS id, code, name, state_reported_at, unsent_count,
            GREATEST(last_seen_at, state_reported_at) AS seen_at
       FROM tills WHERE shop_id = $1 AND ($2::uuid IS NULL OR id = $2::uuid)`,
    [shopId, tillId],
  );
}

/** Only `missing` gaps: pending ones are on their way, rejected ones are listed as rejections. */
export async function missingReceiptItems(db: DataSource, q: SourceQuery): Promise<AttentionItem[]> {
  const tills = new Map((await tillsOf(db, q.shopId, q.referent)).map((t) => [t.id, t]));
  if (tills.size === 0) return [];
  const gaps = (await receiptGaps(db, q.shopId, [...tills.keys()])).filter((g) => g.status === "missing");
  return gaps.map((g) => {
    const till = tills.get(g.tillId)!;
    const reportedAt = till.state_reported_at ? new Date(till.state_reported_at) : null;
    return {
      id: gapItemId(g.tillId, g.from, g.to),
      kind: "missing_receipts",
      tillId: g.tillId,
      at: reportedAt && reportedAt > g.revealedAt ? reportedAt : g.revealedAt,
      message: missingReceiptsMessage(till.code, g.from, g.to, reportedAt !== null),
      refersTo: { kind: "till", id: g.tillId },
      version: `${g.from}-${g.to}`,
      resolution: null,
    };
  });
}

export async function negativeStockItems(db: DataSource, q: SourceQuery): Promise<AttentionItem[]> {
  const rows: { id: string; name: string; stock: number; updated_at: Date }[] = await db.query(
    `SELECT id::text AS id, name, stock, updated_at FROM products
      WHERE shop_id = $1 AND stock < 0 AND ($2::uuid IS NULL OR id = $2::uuid)`,
    [q.shopId, q.referent],
  );
  return rows.map((r) => ({
    id: itemId("negative_stock", r.id),
    kind: "negative_stock",
    tillId: null,
    at: new Date(r.updated_at),
    message: negativeStockMessage(r.name, Number(r.stock)),
    refersTo: { kind: "product", id: r.id },
    version: String(r.stock),
    resolution: null,
  }));
}

/** A till that last reported unsent sales and has not been seen for TILL_SILENCE_HOURS. */
export async function silentTillItems(db: DataSource, q: SourceQuery): Promise<AttentionItem[]> {
  const silentSince = Date.now() - q.silenceHours * 3_600_000;
  const tills = (await tillsOf(db, q.shopId, q.referent)).filter(
    (t) => (t.unsent_count ?? 0) > 0 && t.seen_at !== null && new Date(t.seen_at).getTime() < silentSince,
  );
  return tills.map((t) => {
    const seenAt = new Date(t.seen_at!);
    return {
      id: itemId("silent_till", t.id),
      kind: "silent_till",
      tillId: t.id,
      at: new Date(seenAt.getTime() + q.silenceHours * 3_600_000),
      message: silentTillMessage(t.code, t.name, seenAt, t.unsent_count!),
      refersTo: { kind: "till", id: t.id },
      version: seenAt.toISOString(),
      resolution: null,
    };
  });
}
