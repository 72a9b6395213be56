import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { z } from "zod";
import { type RequestContext, requirePermission } from "../auth/request-context";
import { ProductEntity } from "../db/entities/product.entity";
import { inTransaction } from "../db/transaction";
import { ConflictError } from "../shared/errors";
import { moneyAmount, parseInput, requiredText, text } from "../shared/input";
import { toCents } from "../shared/money";
import { isUuid } from "../shared/uuid";
import { recordOpeningStock } from "../inventory/stock-ledger";
import { byIdsInShop } from "../db/shop-lookup";
import { constraintOf } from "../db/transaction";
import { MAX_PRICE } from "../sync/offline-sale.schema";

export type NewProduct = { name: string; sku: string; price: number; stock: number; lowStockThreshold: number };

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

const searchSchema = z.object({ search: text(200).nullish() });

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
}

function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}
