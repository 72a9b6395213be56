import { isCalendarInstant } from "../shared/instant";
import { formatCents } from "../shared/money";
import type { PreparedRefund } from "./offline-refund";
import { TOTAL_TOLERANCE_CENTS, type UsedReceipts, duplicateReceiptReason, isImplausibleClock } from "./sale-rules";
import type { RejectionCode } from "./sync.types";
import { judgeRefundTenders } from "./tenders";

/**
 * The rules a NEW refund is judged by (after the stored-replay lookup, like a sale). Server wins:
 * the money already went back over the counter, so a refund is refused only when it names a
 * product the shop does not have (the seed's rule for sales) or a day that does not exist.
 * Everything else inconvenient is recorded and flagged for a person:
 *
 * | The referenced sale                          | Recorded as                                              |
 * |----------------------------------------------|----------------------------------------------------------|
 * | on the server (earlier, or this request)     | linked                                                    |
 * | not on the server yet (another till has it)  | unlinked, flagged; linked when the sale arrives           |
 * | refused by the server (a kept rejection)     | unlinked, flagged                                         |
 * | a serverId the shop has no sale for          | unlinked, flagged                                         |
 *
 * and, when linked, quantities or amounts beyond what was sold minus earlier refunds are flagged.
 * Add a refund rule here: a refusal in `refusalOf`, a flag in `reviewReasonsOf`.
 */
export type ReferencedSale =
  | { kind: "known"; saleId: string; orderId: string; totalCents: number; sold: ReadonlyMap<string, number> }
  | { kind: "pending" | "rejected" | "unknown" };

/** What earlier refunds of the same sale took back: quantities per product and money. */
export type EarlierRefunds = { quantities: ReadonlyMap<string, number>; cents: number };

export type RefundReferences = {
  products: ReadonlySet<string>;
  staff: ReadonlySet<string>;
  receipts: UsedReceipts | null;
  offlineCardLimitCents: number | null;
};

export type NewRefundVerdict =
  | { kind: "refused"; error: string; code: RejectionCode }
  | { kind: "accepted"; saleId: string | null; staffId: string | null; needsReview: boolean; reviewReasons: string[]; warnings: string[] };


export function judgeNewRefund(
  refund: PreparedRefund,
  sale: ReferencedSale,
  earlier: EarlierRefunds,
  known: RefundReferences,
  now: number = Date.now(),
): NewRefundVerdict {
  const refusal = refusalOf(refund, known);
  if (refusal) return { kind: "refused", ...refusal };
  const reviewReasons = [...saleReasonsOf(refund, sale, earlier), ...reviewReasonsOf(refund, known, now)];
  const warnings = reviewReasons.map(refundReviewWarning);
  let staffId = refund.staffId;
  if (staffId !== null && !known.staff.has(staffId)) {
    warnings.push(`Staff member ${staffId} not found; the refund was recorded without a cashier`);
    staffId = null;
  }
  const saleId = sale.kind === "known" ? sale.saleId : null;
  return { kind: "accepted", saleId, staffId, needsReview: reviewReasons.length > 0, reviewReasons, warnings };
}

export function refundReviewWarning(reason: string): string {
  return `${reason}; the refund was recorded and flagged for review`;
}

function refusalOf(refund: PreparedRefund, known: RefundReferences): { error: string; code: RejectionCode } | null {
  if (!isCalendarInstant(refund.createdAtAsSent)) {
    const error = "Invalid refund: createdAt must be a real calendar date and time (no February 30th, no 24:00), e.g. 2024-01-15T10:30:00Z";
    return { error, code: "INVALID_DATE" };
  }
  const missing = refund.lines.find((line) => !known.products.has(line.productId));
  return missing ? { error: `Product ${missing.productId} not found`, code: "PRODUCT_NOT_FOUND" } : null;
}

function saleRefOf(refund: PreparedRefund): string {
  return refund.saleServerId ?? refund.saleClientTempId!;
}

/** The referenced sale: where it is, and, when linked, whether this refund takes back more than it sold. */
function saleReasonsOf(refund: PreparedRefund, sale: ReferencedSale, earlier: EarlierRefunds): string[] {
  const ref = saleRefOf(refund);
  switch (sale.kind) {
    case "pending":
      return [`sale ${ref} is not on the server yet; the refund is linked to it when it arrives`];
    case "rejected":
      return [`sale ${ref} was refused by the server; the refund is not linked to a sale`];
    case "unknown":
      return [`sale ${ref} not found; the refund is not linked to a sale`];
    case "known":
      return beyondSold(refund, sale, earlier);
  }
}

function beyondSold(refund: PreparedRefund, sale: Extract<ReferencedSale, { kind: "known" }>, earlier: EarlierRefunds): string[] {
  const reasons: string[] = [];
  const asked = new Map<string, number>();
  for (const line of refund.lines) asked.set(line.productId, (asked.get(line.productId) ?? 0) + line.quantity);
  for (const [productId, quantity] of asked) {
    const left = (sale.sold.get(productId) ?? 0) - (earlier.quantities.get(productId) ?? 0);
    if (quantity > left) {
      reasons.push(`refunds ${quantity} of product ${productId} but sale ${sale.orderId} has ${Math.max(left, 0)} left to refund (sold minus earlier refunds)`);
    }
  }
  const leftCents = sale.totalCents - earlier.cents;
  if (refund.totalCents > leftCents) {
    reasons.push(`refunds ${formatCents(refund.totalCents)} but sale ${sale.orderId} has ${formatCents(Math.max(leftCents, 0))} left to refund`);
  }
  return reasons;
}

function reviewReasonsOf(refund: PreparedRefund, known: RefundReferences, now: number): string[] {
  const reasons: string[] = [];
  const linesCents = refund.lines.reduce((sum, line) => sum + line.amountCents, 0);
  if (Math.abs(refund.totalCents - linesCents) > TOTAL_TOLERANCE_CENTS) {
    reasons.push(`totalAmount ${formatCents(refund.totalCents)} differs from the sum of the lines ${formatCents(linesCents)}`);
  }
  if (isImplausibleClock(refund.refundedAt, now)) reasons.push(`createdAt ${refund.createdAtAsSent} is implausible; the till's clock may be wrong`);
  const usedBy = refund.receiptNumber === null ? undefined : known.receipts?.used.get(refund.receiptNumber);
  if (usedBy !== undefined) reasons.push(duplicateReceiptReason(known.receipts!.tillCode, refund.receiptNumber!, usedBy));
  reasons.push(...judgeRefundTenders(refund.payments, refund.totalCents, known.offlineCardLimitCents));
  return reasons;
}
