import { isCalendarInstant } from "../shared/instant";
import { formatCents } from "../shared/money";
import { formatReceipt } from "../shared/receipt-number";
import type { PreparedSale } from "./prepared-sale";
import type { RejectionCode } from "./sync.types";
import { judgeSaleTenders } from "./tenders";

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
/** `used` maps a number to what holds it, written for a person: `sale ORD-…` or `refund <id>`. */

/** What the database knows about the batch's references, looked up in one round trip. */
export type KnownReferences = {
  products: ReadonlySet<string>;
  customers: ReadonlySet<string>;
  staff: ReadonlySet<string>;
  receipts?: UsedReceipts | null;
  /** Customers created offline, by their clientTempId (this request's included): clientTempId -> id. */
  customersByTempId?: ReadonlyMap<string, string>;
  /** The shop's offline card limit in cents; null when there is none. */
  offlineCardLimitCents?: number | null;
  /** Archived products among the batch's: id -> when it was archived (ISO). */
  archivedProducts?: ReadonlyMap<string, string>;
  /** The list price (cents) valid when the sale happened, by listPriceKey(productId, soldAt). */
  listPrices?: ReadonlyMap<string, number>;
};

/** The key of a line's list price: the product and the instant of its sale. */
export function listPriceKey(productId: string, soldAt: string): string {
  return `${productId} ${soldAt}`;
}

export type NewSaleVerdict =
  | { kind: "refused"; error: string; code: RejectionCode }
  | {
      kind: "accepted";
      customerId: string | null;
      staffId: string | null;
      /** Cash given back beyond what was owed. */
      changeCents: number;
      needsReview: boolean;
      reviewReasons: string[];
      warnings: string[];
    };

/** A client's total may differ from the lines by a rounding cent; beyond that a person must look. */
export const TOTAL_TOLERANCE_CENTS = 1;
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
  const tenders = judgeSaleTenders(sale.payments, sale.totalCents, known.offlineCardLimitCents ?? null);
  reviewReasons.push(...tenders.reviewReasons, ...priceReasonsOf(sale, known));
  const warnings = [...reviewReasons.map(reviewWarning), ...archivedWarningsOf(sale, known)];
  const customerId = customerOf(sale, known, warnings);
  // The same policy as a customer: the sale happened, so it is kept, without the unknown cashier.
  let staffId = sale.staffId;
  if (staffId !== null && !known.staff.has(staffId)) {
    warnings.push(`Staff member ${staffId} not found; the sale was recorded without a cashier`);
    staffId = null;
  }
  const needsReview = reviewReasons.length > 0;
  return { kind: "accepted", customerId, staffId, changeCents: tenders.changeCents, needsReview, reviewReasons, warnings };
}

/**
 * The seed's unknown-customer policy, for both ways of naming one: the sale is kept without the
 * customer, with a warning. `customerId` (the server's own id) wins over `customerClientTempId`
 * when both are given; if they name different customers, a warning says the temp id was ignored.
 */
function customerOf(sale: PreparedSale, known: KnownReferences, warnings: string[]): string | null {
  const fromTempId = sale.customerClientTempId === null ? undefined : known.customersByTempId?.get(sale.customerClientTempId);
  if (sale.customerId !== null) {
    if (!known.customers.has(sale.customerId)) {
      warnings.push(`Customer ${sale.customerId} not found; the sale was recorded without a customer`);
      return null;
    }
    if (sale.customerClientTempId !== null && fromTempId !== sale.customerId) {
      warnings.push(`customerClientTempId ${sale.customerClientTempId} was ignored: customerId ${sale.customerId} was given and wins`);
    }
    return sale.customerId;
  }
  if (sale.customerClientTempId === null) return null;
  if (fromTempId === undefined) {
    warnings.push(`Customer ${sale.customerClientTempId} (created offline) not found; the sale was recorded without a customer`);
    return null;
  }
  return fromTempId;
}

export function reviewWarning(reason: string): string {
  return `${reason}; the sale was recorded and flagged for review`;
}

/**
 * The same till sent a different sale under a receipt number it had already used (a device
 * restored from a backup counts again from an old number): both sales happened, so both are kept,
 * and the later one is flagged naming the other.
 */
export function duplicateReceiptReason(tillCode: string, receiptNumber: number, usedBy: string): string {
  return `receipt number ${formatReceipt(tillCode, receiptNumber)} was already used by ${usedBy}; the till may have been restored from a backup`;
}

/** The sale happened, so it is recorded; these make a person look at it. */
function reviewReasonsOf(sale: PreparedSale, now: number): string[] {
  const reasons: string[] = [];
  const linesCents = sale.items.reduce((sum, item) => sum + item.lineTotalCents, 0);
  if (Math.abs(sale.totalCents - linesCents) > TOTAL_TOLERANCE_CENTS) {
    reasons.push(`totalAmount ${formatCents(sale.totalCents)} differs from the sum of the lines ${formatCents(linesCents)}`);
  }
  if (isImplausibleClock(sale.soldAt, now)) {
    reasons.push(`createdAt ${sale.createdAtAsSent} is implausible; the till's clock may be wrong`);
  }
  return reasons;
}

/**
 * The customer paid the till's price, so the line is recorded at it; a price that is not the list
 * price valid when the sale happened (a till with a stale catalogue, a price typed by hand) makes a
 * person look. A sale at the price valid then is not flagged, even if the price changed since.
 * The unit price before discount is compared; a discount is the till's own, visible field.
 */
function priceReasonsOf(sale: PreparedSale, known: KnownReferences): string[] {
  const reasons: string[] = [];
  sale.items.forEach((item, index) => {
    const listCents = known.listPrices?.get(listPriceKey(item.productId, sale.soldAt));
    if (listCents === undefined || listCents === item.unitPriceCents) return;
    reasons.push(
      `items[${index}].price ${formatCents(item.unitPriceCents)} differs from the list price ${formatCents(listCents)} of product ` +
        `${item.productId} valid at ${sale.createdAtAsSent}; recorded at the till's price`,
    );
  });
  return reasons;
}

/** It existed when it was sold: a late sale of an archived product is recorded, with a warning. */
function archivedWarningsOf(sale: PreparedSale, known: KnownReferences): string[] {
  const products = [...new Set(sale.items.map((item) => item.productId))];
  return products.flatMap((id) => {
    const archivedAt = known.archivedProducts?.get(id);
    return archivedAt === undefined ? [] : [`Product ${id} was archived at ${archivedAt}; the sale was recorded`];
  });
}

/** A till's clock may run ahead a little; a day ahead (or a date before 2000) means it is wrong. */
export function isImplausibleClock(instant: string, now: number): boolean {
  const ms = Date.parse(instant);
  return ms > now + CLOCK_SKEW_MS || ms < PLAUSIBLE_SINCE;
}
