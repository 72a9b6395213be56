import type { DataSource } from "typeorm";
import { z } from "zod";
import { type RequestContext, requirePermission } from "../auth/request-context";
import { SaleItemEntity } from "../db/entities/sale-item.entity";
import { SaleEntity } from "../db/entities/sale.entity";
import { BadRequestError, ValidationError } from "../shared/errors";
import { MAX_RECEIPT_NUMBER, parseReceipt } from "../shared/receipt-number";
import { isStorableInstant } from "../shared/instant";
import { isUuid } from "../shared/uuid";
import { byIdsInShop } from "../db/shop-lookup";

export type SalePage = { items: SaleEntity[]; nextCursor: string | null };

/** Keyset cursor over (sold_at, id): stable while new sales keep arriving, unlike an offset. */
function encodeCursor(sale: SaleEntity): string {
  return encodeKeyset(sale.soldAt, sale.id);
}

/** A keyset cursor over (instant, id), for every newest-first list. */
export function encodeKeyset(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString("base64url");
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

export function decodeCursor(cursor: string): [string, string] {
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

/**
 * A receipt to look for: `T03-000124` (that till's sale, or sales when the till reused the number)
 * or the counter alone, `124` / `000124` (that number on any till of the shop).
 */
type ReceiptSearch = { tillCode: string | null; receiptNumber: number };

function receiptSearchOf(text: string): ReceiptSearch {
  const trimmed = text.trim();
  const counter = /^\d{1,10}$/.test(trimmed) ? Number(trimmed) : null;
  const search: ReceiptSearch | null = counter !== null ? { tillCode: null, receiptNumber: counter } : parseReceipt(trimmed);
  if (!search || search.receiptNumber < 1 || search.receiptNumber > MAX_RECEIPT_NUMBER) {
    throw new ValidationError("receipt", "must be a receipt number like T03-000124 (or its counter, 124)");
  }
  return search;
}

export class SaleService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * `receipt` narrows the list to one receipt number (see ReceiptSearch), `customerId` to one
   * customer's sales; the order and cursor are the same.
   */
  async list(ctx: RequestContext, first = 50, after?: string | null, receipt?: string | null, customerId?: string): Promise<SalePage> {
    requirePermission(ctx, "sales:read");
    const limit = Math.min(Math.max(first, 1), 200);
    const query = this.dataSource
      .getRepository(SaleEntity)
      .createQueryBuilder("s")
      .where("s.shop_id = :shopId", { shopId: ctx.shopId })
      .orderBy("s.sold_at", "DESC")
      .addOrderBy("s.id", "DESC")
      .limit(limit + 1);
    if (receipt !== undefined && receipt !== null) {
      const search = receiptSearchOf(receipt);
      query.andWhere("s.receipt_number = :receiptNumber", { receiptNumber: search.receiptNumber });
      if (search.tillCode) {
        query.andWhere("s.till_id = (SELECT t.id FROM tills t WHERE t.shop_id = s.shop_id AND t.code = :tillCode)", { tillCode: search.tillCode });
      } else {
        query.andWhere("s.till_id IS NOT NULL");
      }
    }
    if (customerId !== undefined) query.andWhere("s.customer_id = :customerId", { customerId });
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

  /** The sale printed with this receipt number; when the till reused the number, the first one recorded. */
  async getByReceipt(ctx: RequestContext, receipt: string): Promise<SaleEntity | null> {
    requirePermission(ctx, "sales:read");
    const parsed = parseReceipt(receipt);
    if (!parsed) throw new ValidationError("receipt", "must be a receipt number like T03-000124");
    return this.dataSource
      .getRepository(SaleEntity)
      .createQueryBuilder("s")
      .innerJoin("tills", "t", "t.shop_id = s.shop_id AND t.id = s.till_id")
      .where("s.shop_id = :shopId AND t.code = :code AND s.receipt_number = :n", { shopId: ctx.shopId, code: parsed.tillCode, n: parsed.receiptNumber })
      .orderBy("s.synced_at", "ASC")
      .addOrderBy("s.id", "ASC")
      .getOne();
  }

  byIds(shopId: string, ids: readonly string[]): Promise<Map<string, SaleEntity>> {
    return byIdsInShop(this.dataSource, SaleEntity, shopId, ids);
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
