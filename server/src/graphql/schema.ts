import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { CustomerResolver } from "../catalog/customer.resolver";
import { ProductResolver } from "../catalog/product.resolver";
import { InventoryResolver } from "../inventory/inventory.resolver";
import { SaleItemResolver, SaleResolver } from "../sales/sale.resolver";
import { SyncResolver } from "../sync/sync.resolver";

export const RESOLVERS = [SyncResolver, ProductResolver, CustomerResolver, SaleResolver, SaleItemResolver, InventoryResolver] as const;

/** Input values are validated by the services (per sale for sync), so type-graphql's validation stays off. */
export function buildGraphQLSchema(emitSchemaFile?: string): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS,
    validate: false,
    emitSchemaFile: emitSchemaFile ? { path: emitSchemaFile, sortedSchema: true } : false,
  });
}
