import { isCalendarInstant } from "../shared/instant";
import { formatCents } from "../shared/money";
import { formatReceipt } from "../shared/receipt-number";
import type { PreparedSale } from "./prepared-sale";
import type { RejectionCode } from "./sync.types";

/**
 * The rules a NEW sale is judged by. They run only after the stored-replay lookup, so a retry of a
 * sale that was stored before a rule was added is still answered `existing`, never refused by it.
 * Each rule is a pure decision here; the writer only supplies what the database knows.
 *
 * Add a sync rule here: a refusal (the sale is not recorded) goes in `refusalOf`, a flag for a
 * person (recorded, `needsReview`) in `reviewReasonsOf`, a reference that is dropped with a warning
 * in `acceptNewSale`.
 */

/**
 * The receipt numbers of the batch that the same till already used for other sales (number ->
 * that sale's order number), with the till's code to write them; null without a till.
 */
export type UsedReceipts = { tillCode: string; used: ReadonlyMap<number, string> };

/** What the database knows about the batch's references, looked up in one round trip. */
export type KnownReferences = {
  products: ReadonlySet<string>;
  customers: ReadonlySet<string>;
  staff: ReadonlySet<string>;
  receipts?: UsedReceipts | null;
};

export type NewSaleVerdict =
  | { kind: "refused"; error: string; code: RejectionCode }
  | {
      kind: "accepted";
      customerId: string | null;
      staffId: string | null;
      needsReview: boolean;
      reviewReasons: string[];
      warnings: string[];
    };

/** A client's total may differ from the lines by a rounding cent; beyond that a person must look. */
const TOTAL_TOLERANCE_CENTS = 1;
/** A till's clock may run ahead a little; a day ahead (or a date before 2000) means it is wrong. */
const CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;
const PLAUSIBLE_SINCE = Date.parse("2000-01-01T00:00:00Z");

export function judgeNewSale(sale: PreparedSale, known: KnownReferences, now: number = Date.now()): NewSaleVerdict {
  const refusal = refusalOf(sale, known);
  if (refusal) return { kind: "refused", ...refusal };
  return acceptNewSale(sale, known, now);
}

/**
 * Server wins on stock, but a product must exist: the seed's one reason to refuse a valid sale.
 * And the sale must have happened on a real day: Date.parse reads 2024-02-30 as March 1st, which
 * would record the sale on a day the till never said. This is a rule, not schema validation, so a
 * retry of such a sale stored before the rule existed is still answered `existing`.
 */
function refusalOf(sale: PreparedSale, known: KnownReferences): { error: string; code: RejectionCode } | null {
  if (!isCalendarInstant(sale.createdAtAsSent)) {
    const error = "Invalid sale: createdAt must be a real calendar date and time (no February 30th, no 24:00), e.g. 2024-01-15T10:30:00Z";
    return { error, code: "INVALID_DATE" };
  }
  const missing = sale.items.find((item) => !known.products.has(item.productId));
  // Same words for a product that does not exist and one of another shop: nothing leaks.
  return missing ? { error: `Product ${missing.productId} not found`, code: "PRODUCT_NOT_FOUND" } : null;
}

function acceptNewSale(sale: PreparedSale, known: KnownReferences, now: number): NewSaleVerdict {
  const reviewReasons = reviewReasonsOf(sale, now);
  const usedBy = sale.receiptNumber === null ? undefined : known.receipts?.used.get(sale.receiptNumber);
  if (usedBy !== undefined) reviewReasons.push(duplicateReceiptReason(known.receipts!.tillCode, sale.receiptNumber!, usedBy));
  const warnings = reviewReasons.map(reviewWarning);
  let customerId = sale.customerId;
  if (customerId !== null && !known.customers.has(customerId)) {
    warnings.push(`Customer ${customerId} not found; the sale was recorded without a customer`);
    customerId = null;
  }
  // The same policy as a customer: the sale happened, so it is kept, without the unknown cashier.
  let staffId = sale.staffId;
  if (staffId !== null && !known.staff.has(staffId)) {
    warnings.push(`Staff member ${staffId} not found; the sale was recorded without a cashier`);
    staffId = null;
  }
  return { kind: "accepted", customerId, staffId, needsReview: reviewReasons.length > 0, reviewReasons, warnings };
}

export function reviewWarning(reason: string): string {
  return `${reason}; the sale was recorded and flagged for review`;
}

/**
 * The same till sent a different sale under a receipt number it had already used (a device
 * restored from a backup counts again from an old number): both sales happened, so both are kept,
 * and the later one is flagged naming the other.
 */
export function duplicateReceiptReason(tillCode: string, receiptNumber: number, otherOrderId: string): string {
  return `receipt number ${formatReceipt(tillCode, receiptNumber)} was already used by sale ${otherOrderId}; the till may have been restored from a backup`;
}

/** The sale happened, so it is recorded; these make a person look at it. */
function reviewReasonsOf(sale: PreparedSale, now: number): string[] {
  const reasons: string[] = [];
  const linesCents = sale.items.reduce((sum, item) => sum + item.lineTotalCents, 0);
  if (Math.abs(sale.totalCents - linesCents) > TOTAL_TOLERANCE_CENTS) {
    reasons.push(`totalAmount ${formatCents(sale.totalCents)} differs from the sum of the lines ${formatCents(linesCents)}`);
  }
  const soldAtMs = Date.parse(sale.soldAt);
  if (soldAtMs > now + CLOCK_SKEW_MS || soldAtMs < PLAUSIBLE_SINCE) {
    reasons.push(`createdAt ${sale.createdAtAsSent} is implausible; the till's clock may be wrong`);
  }
  return reasons;
}
