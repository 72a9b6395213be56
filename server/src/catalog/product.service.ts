import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { type RequestContext, requirePermission } from "../auth/request-context";
import { ProductEntity } from "../db/entities/product.entity";
import { inTransaction } from "../db/transaction";
import { ConflictError, ValidationError } from "../shared/errors";
import { toCents } from "../shared/money";
import { isUuid } from "../shared/uuid";
import { recordOpeningStock } from "../inventory/stock-ledger";
import { byIdsInShop } from "../db/shop-lookup";
import { constraintOf } from "../db/transaction";

export type NewProduct = { name: string; sku: string; price: number; stock: number; lowStockThreshold: number };

export class ProductService {
  constructor(private readonly dataSource: DataSource) {}

  async list(ctx: RequestContext, search?: string | null, limit = 200): Promise<ProductEntity[]> {
    requirePermission(ctx, "products:read");
    const query = this.dataSource
      .getRepository(ProductEntity)
      .createQueryBuilder("p")
      .where("p.shop_id = :shopId", { shopId: ctx.shopId })
      .orderBy("p.name", "ASC")
      .addOrderBy("p.id", "ASC")
      .limit(Math.min(Math.max(limit, 1), 1000));
    const term = search?.trim();
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
    const priceCents = toCents(input.price);
    if (priceCents === null || priceCents < 0) throw new ValidationError("price", "must be >= 0 with at most 2 decimals");
    if (!input.name.trim()) throw new ValidationError("name", "is required");
    if (!input.sku.trim()) throw new ValidationError("sku", "is required");
    if (!Number.isInteger(input.stock) || input.stock < 0) throw new ValidationError("stock", "must be an integer >= 0");
    if (!Number.isInteger(input.lowStockThreshold) || input.lowStockThreshold < 0) {
      throw new ValidationError("lowStockThreshold", "must be an integer >= 0");
    }
    const id = randomUUID();
    try {
      return await inTransaction(this.dataSource, async (tx) => {
        await tx.sql(
          `INSERT INTO products (shop_id, id, name, sku, price_cents, stock, low_stock_threshold)
           VALUES ($1, $2, $3, $4, $5, 0, $6)`,
          [ctx.shopId, id, input.name.trim(), input.sku.trim(), priceCents, input.lowStockThreshold],
        );
        await recordOpeningStock(tx, ctx.shopId, id, input.stock, ctx.userId);
        return tx.manager.getRepository(ProductEntity).findOneByOrFail({ shopId: ctx.shopId, id });
      });
    } catch (error) {
      if (constraintOf(error) === "products_shop_id_sku_key") throw new ConflictError(`sku: ${input.sku} is already used in this shop`);
      throw error;
    }
  }
}

function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}
