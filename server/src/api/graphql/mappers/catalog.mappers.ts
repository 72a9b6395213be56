import type { CustomerEntity } from "../../../db/entities/customer.entity";
import type { ProductEntity } from "../../../db/entities/product.entity";
import { centsToAmount } from "../../../shared/money";
import type { CustomerType } from "../types/customer.type";
import type { ProductType } from "../types/product.type";

type ProductFields = Pick<ProductEntity, "id" | "name" | "sku" | "priceCents" | "stock" | "lowStockThreshold" | "archivedAt">;

export function toProductType(p: ProductFields): ProductType {
  return {
    id: p.id,
    name: p.name,
    sku: p.sku,
    price: centsToAmount(p.priceCents),
    stock: p.stock,
    lowStockThreshold: p.lowStockThreshold,
    archivedAt: p.archivedAt ?? null,
  };
}

export function toCustomerType(c: Pick<CustomerEntity, "id" | "name" | "email" | "phone" | "clientTempId">): CustomerType {
  return { id: c.id, name: c.name, email: c.email, phone: c.phone, clientTempId: c.clientTempId };
}
