import { centsToAmount, lineTotalCents, toBasisPoints, toCents } from "./money";
import type { OfflineCustomer, OfflineRefund, RefundLine, SaleRef } from "./outbox/entity-record";
import type { OutboxRecord } from "./outbox/outbox-record";
import { type PaymentInput, buildPayments } from "./payments";
import type { RecordingContext } from "./record-sale";
import { InvalidSaleError } from "./record-sale-error";

/** A customer signed up at the counter: a name and at least one way to reach them is up to the shop; the name is required. */
export type CustomerInput = { name: string; email?: string | null; phone?: string | null };

export function buildOfflineCustomer(input: CustomerInput, now: Date, newId: () => string): OfflineCustomer {
  const name = input.name?.trim();
  if (!name) throw new InvalidSaleError("name: a customer needs a name");
  if (name.length > 200) throw new InvalidSaleError("name must be at most 200 characters");
  const email = input.email?.trim();
  if (email && (email.length > 254 || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))) throw new InvalidSaleError("email must be an email address");
  const phone = input.phone?.trim();
  if (phone && (phone.length > 40 || !/^\+?[0-9 ()./-]{3,}$/.test(phone))) throw new InvalidSaleError("phone must be a phone number");
  return { clientTempId: newId(), name, ...(email ? { email } : {}), ...(phone ? { phone } : {}), createdAt: now.toISOString() };
}

/** Which units of which product go back; `amount` defaults to what those units cost on the sale (its line rule). */
export type RefundLineInput = { productId: string; quantity: number; amount?: number };
export type RefundOptions = { reason?: string; restock?: boolean; payments?: PaymentInput[]; staffId?: string | null; createdAt?: string | Date };

/**
 * A refund of `saleId`: a sale of this till's outbox (by clientTempId, or by the server id it got)
 * is referred to by its clientTempId, so the refund is linked even before the sale reaches the
 * server; any other id is taken as the server's. The money goes back in cents, by the sale's own
 * line rule when the sale is known here (refunding a whole line gives back exactly its total).
 */
export function buildOfflineRefund(
  saleId: string,
  lines: readonly RefundLineInput[],
  options: RefundOptions,
  known: OutboxRecord | undefined,
  now: Date,
  newId: () => string,
  context: RecordingContext,
): OfflineRefund {
  if (!saleId) throw new InvalidSaleError("sale: which sale is refunded");
  if (!Array.isArray(lines) || lines.length === 0) throw new InvalidSaleError("lines: a refund needs at least one line");
  const refundLines = lines.map((line, i) => refundLine(line, i, known));
  const sale: SaleRef = known ? { clientTempId: known.clientTempId } : { serverId: saleId };
  const totalCents = refundLines.reduce((sum, l) => sum + toCents(l.amount), 0);
  const createdAt = options.createdAt instanceof Date ? options.createdAt.toISOString() : (options.createdAt ?? now.toISOString());
  const reason = options.reason?.trim();
  const payments = buildPayments(options.payments, context.online, null);
  return {
    clientTempId: newId(),
    sale,
    lines: refundLines,
    totalAmount: centsToAmount(totalCents),
    ...(reason ? { reason } : {}),
    restock: options.restock ?? true,
    ...(payments ? { payments } : {}),
    createdAt,
    ...(options.staffId ? { staffId: options.staffId } : {}),
  };
}

function refundLine(line: RefundLineInput, i: number, known: OutboxRecord | undefined): RefundLine {
  if (!line.productId) throw new InvalidSaleError(`lines[${i}].productId is required`);
  if (!Number.isInteger(line.quantity) || line.quantity <= 0) throw new InvalidSaleError(`lines[${i}].quantity must be a positive integer`);
  if (line.amount !== undefined) {
    if (!Number.isFinite(line.amount) || line.amount < 0 || toCents(line.amount) / 100 !== line.amount) {
      throw new InvalidSaleError(`lines[${i}].amount must be a non-negative amount with at most two decimals`);
    }
    return { productId: line.productId, quantity: line.quantity, amount: line.amount };
  }
  const sold = known?.sale.items.find((item) => item.productId === line.productId);
  if (!sold) throw new InvalidSaleError(`lines[${i}].amount is required: product ${line.productId} is not on a sale this till knows`);
  const cents = lineTotalCents(toCents(sold.price), line.quantity, toBasisPoints(sold.discountPercent ?? 0));
  return { productId: line.productId, quantity: line.quantity, amount: centsToAmount(cents) };
}
