import { centsToAmount, saleTotalCents } from "./money";
import type { OfflineSale, SaleLine } from "./outbox/outbox-record";
import { type PaymentInput, buildPayments } from "./payments";
import { InvalidSaleError } from "./record-sale-error";

/** What the till passes to `recordSale`; the client adds the id, the time and (if absent) the total. */
export type SaleInput = {
  items: SaleLine[];
  customerId?: string | null;
  /** A customer created on this till (`createCustomer`) and maybe not on the server yet: its clientTempId. */
  customerClientTempId?: string | null;
  /** How it was paid; cash may exceed the total (the change). */
  payments?: PaymentInput[];
  /** The cashier who made the sale (the staff id picked with the PIN pad); sent as `staffId`. */
  staffId?: string | null;
  /** Defaults to the sum of the lines (price x quantity x (1 - discount%)), each rounded half up to the cent as the server does. */
  totalAmount?: number;
  /** When the sale happened; defaults to now. */
  createdAt?: string | Date;
};

export { InvalidSaleError };

/** The server's bound on a staff id (it refuses a longer one, which would fail the sale for good). */
const MAX_STAFF_ID_LENGTH = 100;

/** Where the sale is recorded: online or not, and the shop's offline card limit (null: none known). */
export type RecordingContext = { online: boolean; offlineCardLimit: number | null };

export function buildOfflineSale(input: SaleInput, now: Date, newId: () => string, context: RecordingContext = { online: true, offlineCardLimit: null }): OfflineSale {
  if (!Array.isArray(input.items) || input.items.length === 0) throw new InvalidSaleError("a sale needs at least one item");
  for (const line of input.items) {
    if (!line.productId) throw new InvalidSaleError("every item needs a productId");
    if (!Number.isInteger(line.quantity) || line.quantity <= 0) throw new InvalidSaleError("quantity must be a positive integer");
    if (!Number.isFinite(line.price) || line.price < 0) throw new InvalidSaleError("price must be a non-negative number");
  }
  if (input.staffId != null && (typeof input.staffId !== "string" || input.staffId.length > MAX_STAFF_ID_LENGTH)) {
    throw new InvalidSaleError(`staffId must be a string of at most ${MAX_STAFF_ID_LENGTH} characters`);
  }
  const items = input.items.map(({ productId, quantity, price, discountPercent }) => ({ productId, quantity, price, discountPercent: discountPercent ?? 0 }));
  const createdAt = input.createdAt instanceof Date ? input.createdAt.toISOString() : (input.createdAt ?? now.toISOString());
  return {
    clientTempId: newId(),
    items,
    totalAmount: input.totalAmount ?? totalOf(items),
    customerId: input.customerId ?? null,
    // Only when there is one, so records (and their sales) without a cashier keep their old shape.
    ...(input.staffId ? { staffId: input.staffId } : {}),
    ...(input.customerClientTempId ? { customerClientTempId: input.customerClientTempId } : {}),
    ...optional("payments", buildPayments(input.payments, context.online, context.offlineCardLimit)),
    createdAt,
  };
}

/** Sum of the lines, computed exactly as the server does (see money.ts) so the sale is not flagged for review. */
export function totalOf(items: SaleLine[]): number {
  return centsToAmount(saleTotalCents(items));
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
