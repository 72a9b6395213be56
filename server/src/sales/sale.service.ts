import type { DataSource } from "typeorm";
import { z } from "zod";
import { type RequestContext, requirePermission } from "../auth/request-context";
import { SaleItemEntity } from "../db/entities/sale-item.entity";
import { SaleEntity } from "../db/entities/sale.entity";
import { BadRequestError } from "../shared/errors";
import { isStorableInstant } from "../shared/instant";
import { isUuid } from "../shared/uuid";

export type SalePage = { items: SaleEntity[]; nextCursor: string | null };

/** Keyset cursor over (sold_at, id): stable while new sales keep arriving, unlike an offset. */
function encodeCursor(sale: SaleEntity): string {
  return Buffer.from(JSON.stringify([sale.soldAt.toISOString(), sale.id])).toString("base64url");
}

/**
 * Exactly what encodeCursor writes: toISOString()'s form of an instant PostgreSQL can store, and a
 * sale id. Anything else (a date only JavaScript reads, such as "1" or "+275760-09-13...", or a
 * calendar date that does not exist) is refused here rather than by the database.
 */
const cursorSchema = z.tuple([
  z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/).refine(isStorableInstant),
  z.string().refine(isUuid),
]);

function decodeCursor(cursor: string): [string, string] {
  let decoded: unknown = null;
  try {
    decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    // answered below
  }
  const parsed = cursorSchema.safeParse(decoded);
  if (parsed.success) return parsed.data;
  throw new BadRequestError("after: not a cursor returned by this API");
}

export class SaleService {
  constructor(private readonly dataSource: DataSource) {}

  async list(ctx: RequestContext, first = 50, after?: string | null): Promise<SalePage> {
    requirePermission(ctx, "sales:read");
    const limit = Math.min(Math.max(first, 1), 200);
    const query = this.dataSource
      .getRepository(SaleEntity)
      .createQueryBuilder("s")
      .where("s.shop_id = :shopId", { shopId: ctx.shopId })
      .orderBy("s.sold_at", "DESC")
      .addOrderBy("s.id", "DESC")
      .limit(limit + 1);
    if (after) {
      const [soldAt, id] = decodeCursor(after);
      query.andWhere("(s.sold_at, s.id) < (:soldAt::timestamptz, :id::uuid)", { soldAt, id });
    }
    const rows = await query.getMany();
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]) : null };
  }

  async get(ctx: RequestContext, id: string): Promise<SaleEntity | null> {
    requirePermission(ctx, "sales:read");
    if (!isUuid(id)) return null;
    return this.dataSource.getRepository(SaleEntity).findOneBy({ shopId: ctx.shopId, id: id.toLowerCase() });
  }

  async itemsBySaleIds(shopId: string, saleIds: readonly string[]): Promise<Map<string, SaleItemEntity[]>> {
    const rows = await this.dataSource
      .getRepository(SaleItemEntity)
      .createQueryBuilder("i")
      .where("i.shop_id = :shopId AND i.sale_id = ANY(:ids::uuid[])", { shopId, ids: [...saleIds] })
      .orderBy("i.sale_id")
      .addOrderBy("i.position")
      .getMany();
    const bySale = new Map<string, SaleItemEntity[]>(saleIds.map((id) => [id, []]));
    for (const row of rows) bySale.get(row.saleId)?.push(row);
    return bySale;
  }
}
