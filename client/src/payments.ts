import type { Payment, PaymentMethod } from "./outbox/entity-record";
import { InvalidSaleError } from "./record-sale-error";
import { toCents } from "./money";

export const PAYMENT_METHODS: readonly PaymentMethod[] = ["CASH", "CARD", "VOUCHER", "OTHER"];

/** What the till passes: the method, the amount tendered, a reference (card slip, voucher code). */
export type PaymentInput = { method: PaymentMethod; amount: number; reference?: string | null };

/**
 * The tenders as stored and sent: each checked (a known method, a non-negative amount with at most
 * two decimals), each marked `offline` when the till has no connection (a card payment then was
 * not authorised online). A CARD payment above the shop's offline card limit is refused while
 * offline, before anything is stored: the cashier asks for another tender.
 */
export function buildPayments(inputs: readonly PaymentInput[] | undefined, online: boolean, offlineCardLimit: number | null): Payment[] | undefined {
  if (inputs === undefined || inputs.length === 0) return undefined;
  return inputs.map((input, i) => {
    if (!PAYMENT_METHODS.includes(input.method)) throw new InvalidSaleError(`payments[${i}].method must be one of ${PAYMENT_METHODS.join(", ")}`);
    if (!Number.isFinite(input.amount) || input.amount < 0 || toCents(input.amount) / 100 !== input.amount) {
      throw new InvalidSaleError(`payments[${i}].amount must be a non-negative amount with at most two decimals`);
    }
    if (!online && input.method === "CARD" && offlineCardLimit !== null && toCents(input.amount) > toCents(offlineCardLimit)) {
      throw new InvalidSaleError(`payments[${i}]: a card payment above ${offlineCardLimit.toFixed(2)} cannot be taken offline; take another tender or wait for the connection`);
    }
    const reference = input.reference?.trim();
    return { method: input.method, amount: input.amount, ...(reference ? { reference } : {}), ...(online ? {} : { offline: true }) };
  });
}

/** Cash beyond what the other tenders leave to pay: the change to hand back (cents, never negative). */
export function changeCents(totalCents: number, payments: readonly Pick<Payment, "method" | "amount">[]): number {
  const cash = payments.filter((p) => p.method === "CASH").reduce((sum, p) => sum + toCents(p.amount), 0);
  const other = payments.filter((p) => p.method !== "CASH").reduce((sum, p) => sum + toCents(p.amount), 0);
  return Math.max(0, cash - Math.max(0, totalCents - other));
}
