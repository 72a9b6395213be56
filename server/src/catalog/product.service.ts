import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { z } from "zod";
import { type RequestContext, requirePermission } from "../auth/request-context";
import { ProductEntity } from "../db/entities/product.entity";
import { inTransaction } from "../db/transaction";
import { ConflictError, NotFoundError } from "../shared/errors";
import { moneyAmount, parseInput, requiredText, text } from "../shared/input";
import { toCents } from "../shared/money";
import { isUuid } from "../shared/uuid";
import { recordOpeningStock } from "../inventory/stock-ledger";
import { byIdsInShop } from "../db/shop-lookup";
import { constraintOf } from "../db/transaction";
import { MAX_PRICE } from "../sync/offline-sale.schema";

export type NewProduct = { name: string; sku: string; price: number; stock: number; lowStockThreshold: number };
/** What a manager may change; stock only through the ledger (adjustInventory). Absent = unchanged. */
export type ProductChanges = { name?: string | null; sku?: string | null; price?: number | null; lowStockThreshold?: number | null };
/** One list price and when it took effect, oldest first. */
export type PricePoint = { priceCents: number; validFrom: Date };

const count = z
  .number({ error: "must be an integer >= 0" })
  .int({ error: "must be an integer >= 0" })
  .min(0, { error: "must be an integer >= 0" })
  .max(2 ** 31 - 1, { error: "must be at most 2147483647" });

/** The price a till may sell at is the price the catalogue may hold: the sync's bounds. */
const newProductSchema = z.object({
  name: requiredText(200),
  sku: requiredText(100),
  price: moneyAmount(MAX_PRICE),
  stock: count,
  lowStockThreshold: count,
});

const productChangesSchema = z.object({
  name: requiredText(200).nullish(),
  sku: requiredText(100).nullish(),
  price: moneyAmount(MAX_PRICE).nullish(),
  lowStockThreshold: count.nullish(),
});

const searchSchema = z.object({ search: text(200).nullish() });

export class ProductService {
  constructor(private readonly dataSource: DataSource) {}

  /** The products on sale: archived ones are not listed (`get` still answers them, with archivedAt). */
  async list(ctx: RequestContext, search?: string | null, limit = 200): Promise<ProductEntity[]> {
    requirePermission(ctx, "products:read");
    const query = this.dataSource
      .getRepository(ProductEntity)
      .createQueryBuilder("p")
      .where("p.shop_id = :shopId AND p.archived_at IS NULL", { shopId: ctx.shopId })
      .orderBy("p.name", "ASC")
      .addOrderBy("p.id", "ASC")
      .limit(Math.min(Math.max(limit, 1), 1000));
    const term = parseInput(searchSchema, { search }).search;
    if (term) query.andWhere("(p.name ILIKE :term OR p.sku ILIKE :term)", { term: `%${escapeLike(term)}%` });
    return query.getMany();
  }

  async get(ctx: RequestContext, id: string): Promise<ProductEntity | null> {
    requirePermission(ctx, "products:read");
    if (!isUuid(id)) return null;
    return this.dataSource.getRepository(ProductEntity).findOneBy({ shopId: ctx.shopId, id: id.toLowerCase() });
  }

  byIds(shopId: string, ids: readonly string[]): Promise<Map<string, ProductEntity>> {
    return byIdsInShop(this.dataSource, ProductEntity, shopId, ids);
  }

  /** A new product's opening stock is its first ledger movement, so stock is explained from day one. */
  async create(ctx: RequestContext, input: NewProduct): Promise<ProductEntity> {
    requirePermission(ctx, "products:write");
    const product = parseInput(newProductSchema, input);
    const priceCents = toCents(product.price)!;
    const id = randomUUID();
    try {
      return await inTransaction(this.dataSource, async (tx) => {
        await tx.sql(
          `INSERT INTO products (shop_id, id, name, sku, price_cents, stock, low_stock_threshold)
           VALUES ($1, $2, $3, $4, $5, 0, $6)`,
          [ctx.shopId, id, product.name, product.sku, priceCents, product.lowStockThreshold],
        );
        await recordOpeningStock(tx, ctx.shopId, id, product.stock, ctx.userId);
        return tx.manager.getRepository(ProductEntity).findOneByOrFail({ shopId: ctx.shopId, id });
      });
    } catch (error) {
      if (constraintOf(error) === "products_shop_id_sku_key") throw new ConflictError(`sku: ${product.sku} is already used in this shop`);
      throw error;
    }
  }

  /**
   * A price change is kept in the price history by the database (a trigger on products), effective
   * from this transaction's start; the catalogue feed sees the change through the same UPDATE.
   */
  async update(ctx: RequestContext, id: string, changes: ProductChanges): Promise<ProductEntity> {
    requirePermission(ctx, "products:write");
    const input = parseInput(productChangesSchema, changes);
    if (!isUuid(id)) throw productNotFound(id);
    try {
      const rows = await this.dataSource.query<{ id: string }[]>(
        `UPDATE products
            SET name = COALESCE($3, name), sku = COALESCE($4, sku), price_cents = COALESCE($5, price_cents),
                low_stock_threshold = COALESCE($6, low_stock_threshold), updated_at = now()
          WHERE shop_id = $1 AND id = $2
         RETURNING id`,
        [ctx.shopId, id.toLowerCase(), input.name ?? null, input.sku ?? null, input.price == null ? null : toCents(input.price), input.lowStockThreshold ?? null],
      );
      if (rowsOf(rows).length === 0) throw productNotFound(id);
    } catch (error) {
      if (constraintOf(error) === "products_shop_id_sku_key") throw new ConflictError(`sku: ${input.sku} is already used in this shop`);
      throw error;
    }
    return this.dataSource.getRepository(ProductEntity).findOneByOrFail({ shopId: ctx.shopId, id: id.toLowerCase() });
  }

  /**
   * Archiving instead of deleting: the row stays (sales and the ledger reference it), it leaves
   * `products`, and the feed answers it as a tombstone. Idempotent: the first archivedAt stands.
   */
  async archive(ctx: RequestContext, id: string): Promise<ProductEntity> {
    requirePermission(ctx, "products:write");
    if (!isUuid(id)) throw productNotFound(id);
    const rows = await this.dataSource.query<{ id: string }[]>(
      `UPDATE products SET archived_at = COALESCE(archived_at, now()), updated_at = CASE WHEN archived_at IS NULL THEN now() ELSE updated_at END
        WHERE shop_id = $1 AND id = $2
       RETURNING id`,
      [ctx.shopId, id.toLowerCase()],
    );
    if (rowsOf(rows).length === 0) throw productNotFound(id);
    return this.dataSource.getRepository(ProductEntity).findOneByOrFail({ shopId: ctx.shopId, id: id.toLowerCase() });
  }

  /** Each product's list prices, oldest first: one query for a DataLoader batch. */
  async priceHistories(shopId: string, ids: readonly string[]): Promise<Map<string, PricePoint[]>> {
    const rows = await this.dataSource.query<{ product_id: string; price_cents: string; valid_from: Date }[]>(
      `SELECT product_id::text AS product_id, price_cents::text AS price_cents, valid_from
         FROM product_prices WHERE shop_id = $1 AND product_id = ANY($2::uuid[])
        ORDER BY product_id, valid_from`,
      [shopId, ids.filter(isUuid).map((id) => id.toLowerCase())],
    );
    const found = new Map<string, PricePoint[]>();
    for (const row of rows) {
      const list = found.get(row.product_id) ?? [];
      list.push({ priceCents: Number(row.price_cents), validFrom: row.valid_from });
      found.set(row.product_id, list);
    }
    return found;
  }
}

/** The same words for a product that does not exist and one of another shop: nothing leaks. */
function productNotFound(id: string): NotFoundError {
  return new NotFoundError(`Product ${id} not found`);
}

/** TypeORM answers an UPDATE … RETURNING as [rows, count] on PostgreSQL. */
function rowsOf<T>(result: T[] | [T[], number]): T[] {
  return Array.isArray(result[0]) ? (result[0] as T[]) : (result as T[]);
}

function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}
