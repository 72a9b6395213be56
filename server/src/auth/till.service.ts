import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { TillEntity } from "../db/entities/till.entity";
import { byIdsInShop } from "../db/shop-lookup";
import { type Tx, inTransaction } from "../db/transaction";
import { NotFoundError, UnauthenticatedError, ValidationError } from "../shared/errors";
import { isUuid } from "../shared/uuid";
import { PAIRING_CODE_TTL_MS, newPairingCode, normalisePairingCode, pairingCodeHash, tillCode } from "./pairing-code";
import { revokeTillFamilies } from "./refresh-tokens";
import { type RequestContext, requirePermission } from "./request-context";
import { type AuthSettings, type TokenPair, startSession } from "./session-tokens";

export type TillPairing = { code: string; expiresAt: Date; till: TillEntity };
export type PairedTill = TokenPair & { till: TillEntity & { shopName: string } };

const MAX_NAME_LENGTH = 60;
/** Wrong, expired and used codes are one answer: a guesser learns nothing from it. */
const REFUSED_CODE = "Invalid or expired pairing code";

/**
 * Tills: a manager creates one with a pairing code, the device trades the code (once, within
 * 10 minutes) for its own refresh-token family, and the manager can revoke it. A revoked till
 * keeps its row and its sales; its refresh fails at once and its access tokens within the
 * till lookup's few seconds (till-lookup.ts).
 */
export class TillService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: AuthSettings,
  ) {}

  async createPairing(ctx: RequestContext, name: string): Promise<TillPairing> {
    requirePermission(ctx, "tills:manage");
    const trimmed = name.trim();
    if (!trimmed) throw new ValidationError("name", "is required");
    if (trimmed.length > MAX_NAME_LENGTH) throw new ValidationError("name", `must be at most ${MAX_NAME_LENGTH} characters`);
    return inTransaction(this.dataSource, async (tx) => {
      const id = randomUUID();
      // The counter is bumped atomically (the shop's row stays locked until commit), so two
      // managers pairing at once get T03 and T04, never both T03.
      const [shop] = await tx.sql<{ n: number }>(`UPDATE shops SET tills_allocated = tills_allocated + 1 WHERE id = $1 RETURNING tills_allocated AS n`, [
        ctx.shopId,
      ]);
      if (!shop) throw new NotFoundError(`Shop ${ctx.shopId} not found`);
      await tx.sql(`INSERT INTO tills (shop_id, id, code, name, created_by) VALUES ($1, $2, $3, $4, $5)`, [
        ctx.shopId,
        id,
        tillCode(shop.n),
        trimmed,
        ctx.userId,
      ]);
      const { code, expiresAt } = await this.newCode(tx, ctx, id);
      const till = await tx.manager.getRepository(TillEntity).findOneByOrFail({ shopId: ctx.shopId, id });
      return { code, expiresAt, till };
    });
  }

  private async newCode(tx: Tx, ctx: RequestContext, tillId: string): Promise<{ code: string; expiresAt: Date }> {
    const expiresAt = new Date(Date.now() + PAIRING_CODE_TTL_MS);
    for (;;) {
      const code = newPairingCode();
      // A clash with another live code (1 in about 10^12) draws again instead of failing.
      const inserted = await tx.sql(
        `INSERT INTO till_pairings (shop_id, till_id, code_hash, created_by, expires_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (code_hash) DO NOTHING RETURNING 1`,
        [ctx.shopId, tillId, pairingCodeHash(code), ctx.userId, expiresAt],
      );
      if (inserted.length > 0) return { code, expiresAt };
    }
  }

  /** The device's side: no bearer, only the code. The code is spent by the first caller, atomically. */
  async pair(typedCode: string): Promise<PairedTill> {
    const code = normalisePairingCode(typedCode);
    if (!code) throw new UnauthenticatedError(REFUSED_CODE);
    const paired = await inTransaction(this.dataSource, async (tx) => {
      const [till] = await tx.sql<{ shop_id: string; id: string; shop_name: string }>(
        `WITH spent AS (
           UPDATE till_pairings SET used_at = now()
            WHERE code_hash = $1 AND used_at IS NULL AND expires_at > now()
            RETURNING shop_id, till_id)
         UPDATE tills t SET paired_at = now()
           FROM spent, shops s
          WHERE t.shop_id = spent.shop_id AND t.id = spent.till_id AND t.revoked_at IS NULL AND s.id = t.shop_id
         RETURNING t.shop_id::text AS shop_id, t.id::text AS id, s.name AS shop_name`,
        [pairingCodeHash(code)],
      );
      if (!till) return null;
      const pair = await startSession(tx, { kind: "till", shopId: till.shop_id, tillId: till.id }, this.settings);
      const entity = await tx.manager.getRepository(TillEntity).findOneByOrFail({ shopId: till.shop_id, id: till.id });
      return { ...pair, till: Object.assign(entity, { shopName: till.shop_name }) };
    });
    if (!paired) throw new UnauthenticatedError(REFUSED_CODE);
    return paired;
  }

  async list(ctx: RequestContext): Promise<TillEntity[]> {
    requirePermission(ctx, "tills:manage");
    return this.dataSource.getRepository(TillEntity).find({ where: { shopId: ctx.shopId }, order: { createdAt: "ASC", code: "ASC" } });
  }

  /** Unpairs a till for good; its sales keep pointing at it. Revoking twice keeps the first time. */
  async revoke(ctx: RequestContext, id: string): Promise<TillEntity> {
    requirePermission(ctx, "tills:manage");
    if (!isUuid(id)) throw new NotFoundError(`Till ${id} not found`);
    return inTransaction(this.dataSource, async (tx) => {
      const updated = await tx.sql(
        `UPDATE tills SET revoked_at = COALESCE(revoked_at, now()) WHERE shop_id = $1 AND id = $2 RETURNING 1`,
        [ctx.shopId, id.toLowerCase()],
      );
      if (updated.length === 0) throw new NotFoundError(`Till ${id} not found`);
      await revokeTillFamilies(tx, ctx.shopId, id.toLowerCase());
      return tx.manager.getRepository(TillEntity).findOneByOrFail({ shopId: ctx.shopId, id: id.toLowerCase() });
    });
  }

  byIds(shopId: string, ids: readonly string[]): Promise<Map<string, TillEntity>> {
    return byIdsInShop(this.dataSource, TillEntity, shopId, ids);
  }
}
