import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { type RequestContext, requirePermission } from "../auth/request-context";
import { CustomerEntity } from "../db/entities/customer.entity";
import { ValidationError } from "../shared/errors";
import { byIdsInShop } from "../db/shop-lookup";

export type NewCustomer = { name: string; email?: string | null };

export class CustomerService {
  constructor(private readonly dataSource: DataSource) {}

  async list(ctx: RequestContext, limit = 200): Promise<CustomerEntity[]> {
    requirePermission(ctx, "customers:read");
    return this.dataSource.getRepository(CustomerEntity).find({
      where: { shopId: ctx.shopId },
      order: { name: "ASC", id: "ASC" },
      take: Math.min(Math.max(limit, 1), 1000),
    });
  }

  byIds(shopId: string, ids: readonly string[]): Promise<Map<string, CustomerEntity>> {
    return byIdsInShop(this.dataSource, CustomerEntity, shopId, ids);
  }

  async create(ctx: RequestContext, input: NewCustomer): Promise<CustomerEntity> {
    requirePermission(ctx, "customers:write");
    const name = input.name.trim();
    if (!name) throw new ValidationError("name", "is required");
    const email = input.email?.trim() || null;
    if (email !== null && !/^[^\s@]+@[^\s@]+$/.test(email)) throw new ValidationError("email", "must be an email address");
    const repo = this.dataSource.getRepository(CustomerEntity);
    const id = randomUUID();
    await repo.insert({ shopId: ctx.shopId, id, name, email });
    return repo.findOneByOrFail({ shopId: ctx.shopId, id });
  }
}
