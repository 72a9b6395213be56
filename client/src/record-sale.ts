import { centsToAmount, saleTotalCents } from "./money";
import type { OfflineSale, SaleLine } from "./outbox/outbox-record";

/** What the till passes to `recordSale`; the client adds the id, the time and (if absent) the total. */
export type SaleInput = {
  items: SaleLine[];
  customerId?: string | null;
  /** Defaults to the sum of the lines (price x quantity x (1 - discount%)), each rounded half up to the cent as the server does. */
  totalAmount?: number;
  /** When the sale happened; defaults to now. */
  createdAt?: string | Date;
};

export class InvalidSaleError extends Error {}

export function buildOfflineSale(input: SaleInput, now: Date, newId: () => string): OfflineSale {
  if (!Array.isArray(input.items) || input.items.length === 0) throw new InvalidSaleError("a sale needs at least one item");
  for (const line of input.items) {
    if (!line.productId) throw new InvalidSaleError("every item needs a productId");
    if (!Number.isInteger(line.quantity) || line.quantity <= 0) throw new InvalidSaleError("quantity must be a positive integer");
    if (!Number.isFinite(line.price) || line.price < 0) throw new InvalidSaleError("price must be a non-negative number");
  }
  const items = input.items.map(({ productId, quantity, price, discountPercent }) => ({ productId, quantity, price, discountPercent: discountPercent ?? 0 }));
  const createdAt = input.createdAt instanceof Date ? input.createdAt.toISOString() : (input.createdAt ?? now.toISOString());
  return {
    clientTempId: newId(),
    items,
    totalAmount: input.totalAmount ?? totalOf(items),
    customerId: input.customerId ?? null,
    createdAt,
  };
}

/** Sum of the lines, computed exactly as the server does (see money.ts) so the sale is not flagged for review. */
export function totalOf(items: SaleLine[]): number {
  return centsToAmount(saleTotalCents(items));
}
