import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { z } from "zod";
import { type RequestContext, requirePermission } from "../auth/request-context";
import { CustomerEntity } from "../db/entities/customer.entity";
import { parseInput, requiredText, text } from "../shared/input";
import { byIdsInShop } from "../db/shop-lookup";
import { isUuid } from "../shared/uuid";

export type NewCustomer = { name: string; email?: string | null };

const newCustomerSchema = z.object({
  name: requiredText(200),
  // An empty email is no email; 254 characters is the longest address SMTP carries.
  email: text(254)
    .nullish()
    .transform((email) => email || null)
    .refine((email) => email === null || /^[^\s@]+@[^\s@]+$/.test(email), { error: "must be an email address" }),
});

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

  async get(ctx: RequestContext, id: string): Promise<CustomerEntity | null> {
    requirePermission(ctx, "customers:read");
    if (!isUuid(id)) return null;
    return this.dataSource.getRepository(CustomerEntity).findOneBy({ shopId: ctx.shopId, id: id.toLowerCase() });
  }

  byIds(shopId: string, ids: readonly string[]): Promise<Map<string, CustomerEntity>> {
    return byIdsInShop(this.dataSource, CustomerEntity, shopId, ids);
  }

  async create(ctx: RequestContext, input: NewCustomer): Promise<CustomerEntity> {
    requirePermission(ctx, "customers:write");
    const { name, email } = parseInput(newCustomerSchema, input);
    const repo = this.dataSource.getRepository(CustomerEntity);
    const id = randomUUID();
    await repo.insert({ shopId: ctx.shopId, id, name, email });
    return repo.findOneByOrFail({ shopId: ctx.shopId, id });
  }
}
