import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { CustomerResolver } from "./resolvers/customer.resolver";
import { ProductResolver } from "./resolvers/product.resolver";
import { InventoryResolver } from "./resolvers/inventory.resolver";
import { SaleItemResolver, SaleResolver } from "./resolvers/sale.resolver";
import { SyncResolver } from "./resolvers/sync.resolver";
import { AccountResolver } from "./resolvers/account.resolver";
import { StaffResolver } from "./resolvers/staff.resolver";
import { TillResolver } from "./resolvers/till.resolver";
import { AttentionResolver } from "./resolvers/attention.resolver";
import { RefundLineResolver, RefundResolver, SaleMoneyResolver } from "./resolvers/refund.resolver";
import { ShopSettingsResolver } from "./resolvers/shop-settings.resolver";
import { CatalogResolver } from "./resolvers/catalog.resolver";

export const RESOLVERS = [
  SyncResolver,
  ProductResolver,
  CustomerResolver,
  SaleResolver,
  SaleItemResolver,
  InventoryResolver,
  AccountResolver,
  TillResolver,
  StaffResolver,
  AttentionResolver,
  RefundResolver,
  RefundLineResolver,
  SaleMoneyResolver,
  ShopSettingsResolver,
  CatalogResolver,
] as const;

/** Input values are validated by the services (per sale for sync), so type-graphql's validation stays off. */
export function buildGraphQLSchema(emitSchemaFile?: string): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS,
    validate: false,
    emitSchemaFile: emitSchemaFile ? { path: emitSchemaFile, sortedSchema: true } : false,
  });
}
