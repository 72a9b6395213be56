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

/**
 * Sum of the lines, computed exactly as the server does so the sale is not flagged for review: each
 * line is priceCents x quantity x (10000 - discountBasisPoints) / 10000 rounded half up to the cent,
 * in integers (BigInt, so no float error and no overflow), then the lines are summed.
 */
export function totalOf(items: SaleLine[]): number {
  const cents = items.reduce((sum, l) => sum + lineTotalCents(toCents(l.price), l.quantity, toCents(l.discountPercent ?? 0)), 0);
  return cents / 100;
}

/** The server's line total: round_half_up(priceCents * quantity * (10000 - discountBasisPoints) / 10000). */
export function lineTotalCents(priceCents: number, quantity: number, discountBasisPoints: number): number {
  const gross = BigInt(priceCents) * BigInt(quantity) * BigInt(10000 - discountBasisPoints);
  return Number((gross + 5000n) / 10000n);
}

/** 15.99 -> 1599; a percent with two decimals -> basis points (12.5 -> 1250). */
function toCents(amount: number): number {
  return Math.round(amount * 100);
}
