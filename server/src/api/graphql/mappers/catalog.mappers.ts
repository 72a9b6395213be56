import type { CustomerEntity } from "../../../db/entities/customer.entity";
import type { ProductEntity } from "../../../db/entities/product.entity";
import { centsToAmount } from "../../../shared/money";
import type { CustomerType } from "../types/customer.type";
import type { ProductType } from "../types/product.type";

export function toProductType(p: ProductEntity): ProductType {
  return { id: p.id, name: p.name, sku: p.sku, price: centsToAmount(p.priceCents), stock: p.stock, lowStockThreshold: p.lowStockThreshold };
}

export function toCustomerType(c: CustomerEntity): CustomerType {
  return { id: c.id, name: c.name, email: c.email, phone: c.phone, clientTempId: c.clientTempId };
}
