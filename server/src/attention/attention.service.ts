import type { DataSource } from "typeorm";
import { type RequestContext, requirePermission } from "../auth/request-context";
import { inTransaction } from "../db/transaction";
import { NotFoundError } from "../shared/errors";
import { parseInput, text } from "../shared/input";
import { z } from "zod";
import { type AttentionItem, type AttentionKind, parseItemId } from "./attention-item";
import { applyResolutions } from "./attention-rules";
import {
  type SourceQuery,
  missingReceiptItems,
  negativeStockItems,
  rejectionItems,
  reviewItems,
  refundReviewItems,
  silentTillItems,
} from "./attention-sources";

export type AttentionSettings = { tillSilenceHours: number };

const SOURCES: Record<AttentionKind, (db: DataSource, q: SourceQuery) => Promise<AttentionItem[]>> = {
  rejection: rejectionItems,
  review: reviewItems,
  missing_receipts: missingReceiptItems,
  negative_stock: negativeStockItems,
  silent_till: silentTillItems,
  refund_review: refundReviewItems,
};

const resolveSchema = z.object({ note: text(1000).nullish() });

/**
 * The manager's one list of what needs a person: refused sales, sales flagged for review,
 * receipt numbers that are missing, products below zero and silent tills that still hold sales.
 * Everything is derived from the shop's own rows at read time (nothing to keep in step); a
 * resolution is an audit row with the item's state then, so the item stays away until that
 * state moves (attention-rules.ts). Another shop's items are never read, not even by id.
 */
export class AttentionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: AttentionSettings,
  ) {}

  /** Newest first; at most `first` (1..200) items. */
  async list(ctx: RequestContext, first = 50, includeResolved = false): Promise<AttentionItem[]> {
    requirePermission(ctx, "attention:read");
    const limit = Math.min(Math.max(first, 1), 200);
    const query: SourceQuery = { shopId: ctx.shopId, referent: null, includeResolved, limit, silenceHours: this.settings.tillSilenceHours };
    const found = (await Promise.all(Object.values(SOURCES).map((source) => source(this.dataSource, query)))).flat();
    const items = (await applyResolutions(this.dataSource, ctx.shopId, found)).filter((i) => includeResolved || i.resolution === null);
    return items.sort((a, b) => b.at.getTime() - a.at.getTime() || (a.id < b.id ? -1 : 1)).slice(0, limit);
  }

  /**
   * Records who resolved the item, when, with what note and the item's state then (the audit
   * trail); a rejection is also marked resolved (`manual`). An id that is not one of this shop's
   * current items is NOT_FOUND.
   */
  async resolve(ctx: RequestContext, id: string, note?: string | null): Promise<AttentionItem> {
    requirePermission(ctx, "attention:resolve");
    const { note: cleanNote } = parseInput(resolveSchema, { note });
    const item = await this.find(ctx.shopId, id);
    if (!item) throw new NotFoundError(`Attention item ${id} not found`);
    const resolvedAt = await inTransaction(this.dataSource, async (tx) => {
      const [row] = await tx.sql<{ resolved_at: Date }>(
        `INSERT INTO attention_resolutions (shop_id, item_id, kind, version, resolved_by, note)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING resolved_at`,
        [ctx.shopId, item.id, item.kind, item.version, ctx.userId, cleanNote || null],
      );
      if (item.kind === "rejection") {
        await tx.sql(
          `UPDATE sale_rejections SET resolved_at = $3, resolved_by = $4, resolution = 'manual', note = $5
            WHERE shop_id = $1 AND id = $2 AND resolved_at IS NULL`,
          [ctx.shopId, item.refersTo.id, row.resolved_at, ctx.userId, cleanNote || null],
        );
      }
      return new Date(row.resolved_at);
    });
    return { ...item, resolution: { resolvedAt, resolvedBy: ctx.userId, note: cleanNote || null } };
  }

  /** The item with this id as it is now (resolved or not), or null. */
  private async find(shopId: string, id: string): Promise<AttentionItem | null> {
    const parsed = parseItemId(id.trim());
    if (!parsed) return null;
    const query: SourceQuery = { shopId, referent: parsed.referent, includeResolved: true, limit: 1, silenceHours: this.settings.tillSilenceHours };
    const found = await SOURCES[parsed.kind](this.dataSource, query);
    if (parsed.kind !== "missing_receipts") return found[0] ?? null;
    return found.find((g) => g.refersTo.id === parsed.referent && g.version === `${parsed.from}-${parsed.to}`) ?? null;
  }
}
