import { randomUUID } from "node:crypto";
import type { SeededShops } from "../../server/src/demo/seed";

export type SaleItem = { productId: string; quantity: number; price: number; discountPercent?: number };
export type OfflineSale = {
  clientTempId: string;
  items: SaleItem[];
  totalAmount: number;
  customerId?: string | null;
  createdAt: string;
};

/** A well-formed sale of the seeded shop; override any field to make the case under test. */
export function saleOf(shop: SeededShops, overrides: Partial<OfflineSale> = {}): OfflineSale {
  const p = shop.products[0];
  return {
    clientTempId: randomUUID(),
    items: [{ productId: p.id, quantity: 2, price: p.price, discountPercent: 0 }],
    totalAmount: Math.round(p.price * 2 * 100) / 100,
    createdAt: "2024-01-15T10:30:00Z",
    ...overrides,
  };
}
