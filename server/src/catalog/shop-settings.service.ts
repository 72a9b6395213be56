import type { DataSource } from "typeorm";
import { z } from "zod";
import { type RequestContext, requirePermission } from "../auth/request-context";
import { parseInput, moneyAmount } from "../shared/input";
import { toCents } from "../shared/money";

/** A shop's settings (money in cents). `offlineCardLimitCents` null: no limit. */
export type ShopSettings = { offlineCardLimitCents: number | null };

const updateSchema = z.object({ offlineCardLimit: moneyAmount(10_000_000).nullable() });

/**
 * What a manager sets for the whole shop and every till reads (a till enforces the offline card
 * limit itself while offline; the sync flags a card payment recorded offline above it).
 */
export class ShopSettingsService {
  constructor(private readonly dataSource: DataSource) {}

  /** Readable by every role of the shop, tills included: the till needs it offline. */
  async get(ctx: RequestContext): Promise<ShopSettings> {
    const rows: { limit: string | null }[] = await this.dataSource.query(`SELECT offline_card_limit_cents::text AS limit FROM shops WHERE id = $1`, [ctx.shopId]);
    return { offlineCardLimitCents: rows[0]?.limit == null ? null : Number(rows[0].limit) };
  }

  async update(ctx: RequestContext, input: { offlineCardLimit?: number | null }): Promise<ShopSettings> {
    requirePermission(ctx, "settings:manage");
    const { offlineCardLimit } = parseInput(updateSchema, { offlineCardLimit: input.offlineCardLimit ?? null });
    const cents = offlineCardLimit === null ? null : toCents(offlineCardLimit);
    await this.dataSource.query(`UPDATE shops SET offline_card_limit_cents = $2 WHERE id = $1`, [ctx.shopId, cents]);
    return this.get(ctx);
  }
}
