import type { DataSource } from "typeorm";
import { z } from "zod";
import type { RequestContext } from "../auth/request-context";
import { BadRequestError } from "../shared/errors";
import { fieldPath } from "../shared/input";
import { MAX_RECEIPT_NUMBER } from "../shared/receipt-number";
import { receiptNumberSchema } from "../sync/offline-sale.schema";

/**
 * A till's report of its outbox, sent with a sync: how many sales it still holds unsent and the
 * lowest and highest receipt numbers among them, besides the request's own sales (the client
 * package leaves those out, so its report after the last batch is exact). The server treats every
 * number it received as received, so a report that includes them means the same; it only matters
 * for the numbers the server has not got: those inside [lowest, highest] are `pending`.
 */
export type TillState = { unsentCount: number; lowestReceipt: number | null; highestReceipt: number | null };

export const tillStateSchema = z
  .object({
    unsentCount: z
      .number({ error: "must be a number" })
      .int({ error: "must be an integer >= 0" })
      .min(0, { error: "must be an integer >= 0" })
      .max(MAX_RECEIPT_NUMBER, { error: `must be <= ${MAX_RECEIPT_NUMBER}` }),
    lowestReceipt: receiptNumberSchema.nullish(),
    highestReceipt: receiptNumberSchema.nullish(),
  })
  .refine((s) => (s.lowestReceipt == null) === (s.highestReceipt == null), {
    error: "lowestReceipt and highestReceipt are given together or not at all",
    path: ["highestReceipt"],
  })
  .refine((s) => s.lowestReceipt == null || s.highestReceipt == null || s.lowestReceipt <= s.highestReceipt, {
    error: "must be >= lowestReceipt",
    path: ["highestReceipt"],
  });

/**
 * Checked before any sale of the request is written, like the rest of the request's shape: a
 * malformed report is a BAD_REQUEST (400, naming the field) with nothing written, as GraphQL
 * refuses a TillStateInput of the wrong types. Absent (undefined or null): null.
 */
export function parseTillState(raw: unknown): TillState | null {
  if (raw === undefined || raw === null) return null;
  const result = tillStateSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new BadRequestError(`${fieldPath(["tillState", ...issue.path])}: ${issue.message}`);
  }
  const s = result.data;
  return { unsentCount: s.unsentCount, lowestReceipt: s.lowestReceipt ?? null, highestReceipt: s.highestReceipt ?? null };
}

/** The latest report wins; a user's token has no till, so its report is ignored. */
export async function recordTillState(dataSource: DataSource, ctx: RequestContext, state: TillState): Promise<void> {
  if (ctx.tillId === null) return;
  await dataSource.query(
    `UPDATE tills SET state_reported_at = now(), last_seen_at = now(), unsent_count = $3, unsent_lowest = $4, unsent_highest = $5
      WHERE shop_id = $1 AND id = $2`,
    [ctx.shopId, ctx.tillId, state.unsentCount, state.lowestReceipt, state.highestReceipt],
  );
}
