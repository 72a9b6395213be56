import type { DataSource } from "typeorm";
import { z } from "zod";
import { type RequestContext, requirePermission } from "../auth/request-context";
import { NotificationEntity } from "../db/entities/notification.entity";
import { ProductEntity } from "../db/entities/product.entity";
import { inTransaction, sqlStateOf } from "../db/transaction";
import { NotFoundError, ValidationError } from "../shared/errors";
import { parseInput, requiredText } from "../shared/input";
import { isUuid } from "../shared/uuid";
import { recordMovements } from "./stock-ledger";

const MAX_ADJUSTMENT = 1_000_000;
const DELTA_RULE = `must be a non-zero integer between -${MAX_ADJUSTMENT} and ${MAX_ADJUSTMENT}`;

const adjustmentSchema = z.object({
  delta: z
    .number({ error: DELTA_RULE })
    .int({ error: DELTA_RULE })
    .min(-MAX_ADJUSTMENT, { error: DELTA_RULE })
    .max(MAX_ADJUSTMENT, { error: DELTA_RULE })
    .refine((n) => n !== 0, { error: DELTA_RULE }),
  reason: requiredText(500),
});

/** products.stock is an int4; the ledger refuses to move it outside, as the sync does per sale. */
const OUT_OF_RANGE = "22003";

export class InventoryService {
  constructor(private readonly dataSource: DataSource) {}

  /** A stock count or a delivery: one ledger row and the same atomic update the sync uses. */
  async adjust(ctx: RequestContext, productId: string, delta: number, reason: string): Promise<ProductEntity> {
    requirePermission(ctx, "inventory:adjust");
    const { reason: note } = parseInput(adjustmentSchema, { delta, reason });
    if (!isUuid(productId)) throw new NotFoundError(`Product ${productId} not found`);
    const id = productId.toLowerCase();
    try {
      return await inTransaction(this.dataSource, async (tx) => {
        const updated = await recordMovements(tx, ctx.shopId, ctx.userId, [{ productId: id, delta, reason: "adjustment", note }]);
        if (updated.length === 0) throw new NotFoundError(`Product ${productId} not found`);
        return tx.manager.getRepository(ProductEntity).findOneByOrFail({ shopId: ctx.shopId, id });
      });
    } catch (error) {
      if (sqlStateOf(error) === OUT_OF_RANGE) {
        throw new ValidationError("delta", "would take the product's stock past what the server can count (-2147483648..2147483647)");
      }
      throw error;
    }
  }

  async notifications(ctx: RequestContext, unreadOnly: boolean, limit = 100): Promise<NotificationEntity[]> {
    requirePermission(ctx, "notifications:read");
    const query = this.dataSource
      .getRepository(NotificationEntity)
      .createQueryBuilder("n")
      .where("n.shop_id = :shopId", { shopId: ctx.shopId })
      .orderBy("n.updated_at", "DESC")
      .addOrderBy("n.id", "DESC")
      .limit(Math.min(Math.max(limit, 1), 500));
    if (unreadOnly) query.andWhere("n.read_at IS NULL");
    return query.getMany();
  }

  async markNotificationRead(ctx: RequestContext, id: string): Promise<NotificationEntity> {
    requirePermission(ctx, "notifications:write");
    if (!isUuid(id)) throw new NotFoundError(`Notification ${id} not found`);
    const rows = await this.dataSource.query(
      `UPDATE notifications SET read_at = COALESCE(read_at, now()) WHERE shop_id = $1 AND id = $2 RETURNING id`,
      [ctx.shopId, id.toLowerCase()],
    );
    if ((rows[0] as unknown[]).length === 0) throw new NotFoundError(`Notification ${id} not found`);
    return this.dataSource.getRepository(NotificationEntity).findOneByOrFail({ shopId: ctx.shopId, id: id.toLowerCase() });
  }
}
