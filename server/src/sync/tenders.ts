import { z } from "zod";
import { text } from "../shared/input";
import { formatCents, toCents } from "../shared/money";

/**
 * Tenders of a sale or a refund: how the money moved. Validated by zod like the rest of a sale
 * (each failure names its field, `payments[1].amount`), converted to cents once by shared/money.ts,
 * and judged here: the rules that flag a tender for a person, never refuse it (the money moved).
 */
export const PAYMENT_METHODS = ["CASH", "CARD", "VOUCHER", "OTHER"] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export const MAX_PAYMENTS = 20;
const MAX_PAYMENT = 10_000_000_000;

export const paymentSchema = z.object({
  method: z.enum(PAYMENT_METHODS, { error: `must be one of ${PAYMENT_METHODS.join(", ")}` }),
  amount: z
    .number({ error: "must be a number" })
    .gt(0, { error: "must be > 0" })
    .max(MAX_PAYMENT, { error: `must be <= ${MAX_PAYMENT}` })
    .refine((n) => toCents(n) !== null, { error: "must have at most 2 decimals" }),
  reference: text(200).nullish(),
  offline: z.boolean({ error: "must be a boolean" }).nullish(),
});

export const paymentsSchema = z
  .array(paymentSchema, { error: "must be an array" })
  .max(MAX_PAYMENTS, { error: `must contain at most ${MAX_PAYMENTS} payments` })
  .nullish();

export type PaymentPayload = z.infer<typeof paymentSchema>;

export type PreparedPayment = { method: PaymentMethod; amountCents: number; reference: string | null; offline: boolean };

export function preparePayments(payments: PaymentPayload[] | null | undefined): PreparedPayment[] | null {
  if (payments === null || payments === undefined) return null;
  return payments.map((p) => ({ method: p.method, amountCents: toCents(p.amount) ?? 0, reference: p.reference || null, offline: p.offline ?? false }));
}

/** The canonical form of tenders for a fingerprint: in the order given. */
export function canonicalPayments(payments: PreparedPayment[]): unknown[] {
  return payments.map((p) => [p.method, p.amountCents, p.reference, p.offline]);
}

export type TenderVerdict = { changeCents: number; reviewReasons: string[] };

/**
 * A sale's tenders against what was owed: cash may exceed it (the excess, up to the cash given,
 * is change); tenders that do not cover it, or non-cash tenders beyond it, are recorded and flagged.
 * No tenders at all (a till that does not send them) says nothing.
 */
export function judgeSaleTenders(payments: PreparedPayment[] | null, totalCents: number, offlineCardLimitCents: number | null): TenderVerdict {
  if (payments === null) return { changeCents: 0, reviewReasons: [] };
  const paid = sumOf(payments);
  const cash = sumOf(payments.filter((p) => p.method === "CASH"));
  const reasons = offlineCardReasons(payments, offlineCardLimitCents);
  if (paid < totalCents) {
    reasons.unshift(`payments ${formatCents(paid)} do not cover the total ${formatCents(totalCents)}`);
    return { changeCents: 0, reviewReasons: reasons };
  }
  const excess = paid - totalCents;
  const changeCents = Math.min(excess, cash);
  if (excess > cash) reasons.unshift(`non-cash payments exceed the total ${formatCents(totalCents)} by ${formatCents(excess - cash)}`);
  return { changeCents, reviewReasons: reasons };
}

/** Money going back to a customer: the tenders should add up to the refund exactly (no change). */
export function judgeRefundTenders(payments: PreparedPayment[] | null, totalCents: number, offlineCardLimitCents: number | null): string[] {
  if (payments === null) return [];
  const paid = sumOf(payments);
  const reasons = offlineCardReasons(payments, offlineCardLimitCents);
  if (paid !== totalCents) reasons.unshift(`refund payments ${formatCents(paid)} differ from the refund total ${formatCents(totalCents)}`);
  return reasons;
}

function offlineCardReasons(payments: PreparedPayment[], limitCents: number | null): string[] {
  if (limitCents === null) return [];
  return payments
    .filter((p) => p.method === "CARD" && p.offline && p.amountCents > limitCents)
    .map((p) => `card payment ${formatCents(p.amountCents)} recorded offline is above the shop's offline card limit ${formatCents(limitCents)}`);
}

function sumOf(payments: PreparedPayment[]): number {
  return payments.reduce((sum, p) => sum + p.amountCents, 0);
}
