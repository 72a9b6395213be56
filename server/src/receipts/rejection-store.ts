import type { DataSource } from "typeorm";
import type { RequestContext } from "../auth/request-context";
import { isUuid } from "../shared/uuid";
import { clientTempIdOf, receiptNumberOf } from "../sync/offline-sale.schema";
import type { RejectionCode } from "../sync/sync.types";
import { boundedPayload } from "./rejection-payload";

/** A sale (or refund) of a request that the server refused, with the raw value the till sent. */
export type RefusedSale = { raw: unknown; code: RejectionCode; error: string };
/** What was refused: refunds share the store (and the till's receipt journal) with sales. */
export type RejectedKind = "sale" | "refund";

/**
 * Every refused sale is kept once per (shop, clientTempId): its payload as sent (bounded), the
 * error, the till, when it was first and last sent and how many times. A sale without a usable
 * clientTempId cannot be kept one by one; it is counted on its till (or on the shop, for a
 * user's token).
 *
 * All of one request in ONE statement, so a request's rejections are either all recorded or not
 * at all, never half. It runs after the request's sales were written (their transactions have
 * committed or rolled back and been retried in halves), on its own: a failure here is logged
 * and the sync's answer is unchanged. A clientTempId that another request recorded meanwhile is
 * stored as already resolved (`synced`), except a reused id, which the recorded sale is the cause of.
 * Sending a kept rejection again reopens it (something new happened), with the latest error.
 */
const UPSERT_REJECTIONS = `WITH input AS (
     SELECT * FROM unnest($3::uuid[], $4::int[], $5::text[], $6::text[], $7::text[])
       AS i(client_temp_id, receipt_number, payload, error_code, error_message)
   ), upserted AS (
     INSERT INTO sale_rejections AS r (shop_id, kind, client_temp_id, till_id, receipt_number, payload, error_code,
                                       error_message, resolved_at, resolution)
     SELECT $1, $9::text, i.client_temp_id, $2::uuid, i.receipt_number, i.payload::jsonb, i.error_code, i.error_message,
            CASE WHEN x.synced THEN now() END, CASE WHEN x.synced THEN 'synced' END
       FROM input i
       CROSS JOIN LATERAL (
         SELECT i.error_code <> 'CLIENT_TEMP_ID_REUSED' AND CASE $9::text
                  WHEN 'sale' THEN EXISTS (SELECT 1 FROM offline_sale_syncs m WHERE m.shop_id = $1 AND m.client_temp_id = i.client_temp_id)
                  ELSE EXISTS (SELECT 1 FROM refunds f WHERE f.shop_id = $1 AND f.client_temp_id = i.client_temp_id) END AS synced
       ) x
      ORDER BY i.client_temp_id
     ON CONFLICT (shop_id, kind, client_temp_id) DO UPDATE
        SET times_sent = r.times_sent + 1, last_seen_at = now(), payload = EXCLUDED.payload,
            error_code = EXCLUDED.error_code, error_message = EXCLUDED.error_message,
            till_id = COALESCE(EXCLUDED.till_id, r.till_id), receipt_number = EXCLUDED.receipt_number,
            resolved_at = EXCLUDED.resolved_at, resolution = EXCLUDED.resolution, resolved_by = NULL
     RETURNING 1
   ), counted_on_till AS (
     UPDATE tills SET unidentified_rejections = unidentified_rejections + $8
      WHERE $8 > 0 AND shop_id = $1 AND id = $2::uuid
   ), counted_on_shop AS (
     UPDATE shops SET unidentified_rejections = unidentified_rejections + $8
      WHERE $8 > 0 AND $2::uuid IS NULL AND id = $1
   )
   SELECT count(*)::int AS kept FROM upserted`;

export async function recordRejections(dataSource: DataSource, ctx: RequestContext, refused: RefusedSale[], kind: RejectedKind = "sale"): Promise<void> {
  const kept = new Map<string, RefusedSale>();
  let unidentified = 0;
  for (const sale of refused) {
    const id = clientTempIdOf(sale.raw);
    if (!isUuid(id)) unidentified++;
    else if (!kept.has(id.toLowerCase())) kept.set(id.toLowerCase(), sale);
  }
  if (kept.size === 0 && unidentified === 0) return;
  const rows = [...kept.entries()];
  await dataSource.query(UPSERT_REJECTIONS, [
    ctx.shopId,
    ctx.tillId,
    rows.map(([id]) => id),
    rows.map(([, s]) => receiptNumberOf(s.raw)),
    rows.map(([, s]) => boundedPayload(s.raw)),
    rows.map(([, s]) => s.code),
    rows.map(([, s]) => s.error),
    unidentified,
    kind,
  ]);
}
