import type { DataSource } from "typeorm";

export type GapStatus = "pending" | "rejected" | "missing";
/** `revealedAt`: when the server got the number just above the gap, which made it a gap. */
export type ReceiptGap = { tillId: string; from: number; to: number; status: GapStatus; revealedAt: Date };

/**
 * Every run of receipt numbers between 1 and the highest a till's sales reached the server with
 * that the server has not got, set-based, for several tills at once. A till's sales and refunds share
 * one counter (one receipt journal per till), so both count as received.
 *
 * Gaps and islands without generate_series: the holes between consecutive numbers received come
 * from lag() over the index order of (shop, till, receipt_number) (a till with 100,000 sales costs
 * one index scan and no row per missing number). Then, inside each hole only (holes and rejections
 * are few), the numbers kept as a rejection of that till form `rejected` runs (n - row_number() is
 * constant along a run) and split the hole into the runs around them. What is left is `pending`
 * where the till's latest report says it still holds those numbers unsent (its [lowest, highest]
 * with unsentCount > 0), split where only part is covered, and `missing` elsewhere. An absent
 * report is an empty range beyond every number (lo > hi).
 */
const GAPS = `WITH till AS (
     SELECT t.id,
            CASE WHEN t.unsent_count > 0 AND t.unsent_lowest IS NOT NULL THEN t.unsent_lowest::bigint ELSE 2147483648 END AS lo,
            CASE WHEN t.unsent_count > 0 AND t.unsent_highest IS NOT NULL THEN t.unsent_highest::bigint ELSE 2147483647 END AS hi
       FROM tills t WHERE t.shop_id = $1 AND t.id = ANY($2::uuid[])
   ), journal AS (
     -- One receipt journal per till: its sales and its refunds share the counter.
     SELECT s.till_id, s.receipt_number, s.synced_at FROM sales s
      WHERE s.shop_id = $1 AND s.till_id = ANY($2::uuid[]) AND s.receipt_number IS NOT NULL
     UNION ALL
     SELECT f.till_id, f.receipt_number, f.synced_at FROM refunds f
      WHERE f.shop_id = $1 AND f.till_id = ANY($2::uuid[]) AND f.receipt_number IS NOT NULL
   ), holes AS (
     SELECT till_id, prev + 1 AS f, n - 1 AS e, n AS closing
       FROM (SELECT s.till_id, s.receipt_number::bigint AS n,
                    lag(s.receipt_number::bigint, 1, 0::bigint) OVER (PARTITION BY s.till_id ORDER BY s.receipt_number) AS prev
               FROM journal s JOIN till ON till.id = s.till_id) r
      WHERE n > prev + 1
   ), points AS (
     SELECT DISTINCT h.till_id, h.f AS hole, r.receipt_number::bigint AS n, true AS rejected
       FROM holes h JOIN sale_rejections r ON r.shop_id = $1 AND r.till_id = h.till_id AND r.receipt_number BETWEEN h.f AND h.e
     UNION ALL
     SELECT till_id, f, e + 1, false FROM holes
   ), ordered AS (
     SELECT till_id, hole, n, rejected,
            lag(n, 1, hole - 1) OVER (PARTITION BY till_id, hole ORDER BY n) AS prev,
            n - row_number() OVER (PARTITION BY till_id, hole, rejected ORDER BY n) AS island
       FROM points
   ), pieces AS (
     SELECT o.till_id, o.hole, p.f, p.e, p.status
       FROM ordered o JOIN till t ON t.id = o.till_id
      CROSS JOIN LATERAL (VALUES
        (o.prev + 1, LEAST(o.n - 1, t.lo - 1), 'missing'),
        (GREATEST(o.prev + 1, t.lo), LEAST(o.n - 1, t.hi), 'pending'),
        (GREATEST(o.prev + 1, t.hi + 1), o.n - 1, 'missing')) AS p(f, e, status)
      WHERE p.f <= p.e
     UNION ALL
     SELECT till_id, hole, min(n), max(n), 'rejected' FROM ordered WHERE rejected GROUP BY till_id, hole, island
   )
   SELECT p.till_id::text AS till_id, p.f::int AS f, p.e::int AS e, p.status,
          (SELECT min(j.synced_at) FROM journal j WHERE j.till_id = p.till_id AND j.receipt_number = h.closing) AS at
     FROM pieces p JOIN holes h ON h.till_id = p.till_id AND h.f = p.hole
    ORDER BY p.till_id, p.f`;

export async function receiptGaps(dataSource: DataSource, shopId: string, tillIds: readonly string[]): Promise<ReceiptGap[]> {
  const rows: { till_id: string; f: number; e: number; status: GapStatus; at: Date | string }[] = await dataSource.query(GAPS, [
    shopId,
    tillIds,
  ]);
  return rows.map((r) => ({ tillId: r.till_id, from: r.f, to: r.e, status: r.status, revealedAt: new Date(r.at) }));
}

/** The highest receipt number received from each till (an index lookup per till); absent when none. */
export async function highestReceipts(dataSource: DataSource, shopId: string, tillIds: readonly string[]): Promise<Map<string, number>> {
  const rows: { id: string; top: number | null }[] = await dataSource.query(
    `SELECT t.id::text AS id,
            GREATEST((SELECT max(s.receipt_number) FROM sales s WHERE s.shop_id = $1 AND s.till_id = t.id AND s.receipt_number IS NOT NULL),
                     (SELECT max(f.receipt_number) FROM refunds f WHERE f.shop_id = $1 AND f.till_id = t.id AND f.receipt_number IS NOT NULL)) AS top
       FROM unnest($2::uuid[]) AS t(id)`,
    [shopId, [...tillIds]],
  );
  return new Map(rows.filter((r) => r.top !== null).map((r) => [r.id, r.top!]));
}
