import { formatReceipt } from "../shared/receipt-number";

/**
 * The sentences of the attention list, for a manager, not a developer: who (which till), what
 * happened, and how often or since when. Times are written in UTC with the zone named.
 */
export function formatWhen(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function sender(tillCode: string | null): string {
  return tillCode ? `Till ${tillCode}` : "A device signed in as a user";
}

function receiptOf(tillCode: string | null, receiptNumber: number | null): string {
  if (receiptNumber === null) return "";
  return tillCode ? ` (receipt ${formatReceipt(tillCode, receiptNumber)})` : ` (receipt number ${receiptNumber})`;
}

export type RejectionFacts = {
  tillCode: string | null;
  receiptNumber: number | null;
  errorCode: string;
  errorMessage: string;
  timesSent: number;
  /** What was refused: a sale or a refund (they share the store and the till's receipt journal). */
  kind?: "sale" | "refund";
  firstSeenAt: Date;
};

export function rejectionMessage(r: RejectionFacts): string {
  const times = r.timesSent === 1 ? `sent once, at ${formatWhen(r.firstSeenAt)}` : `sent ${r.timesSent} times since ${formatWhen(r.firstSeenAt)}`;
  const a = r.kind === "refund" ? "a refund" : "a sale";
  const product = r.errorCode === "PRODUCT_NOT_FOUND" ? /^Product (.+) not found$/.exec(r.errorMessage)?.[1] : undefined;
  const what =
    product !== undefined
      ? `sent ${a}${receiptOf(r.tillCode, r.receiptNumber)} with product '${product}' that does not exist`
      : r.errorCode === "CLIENT_TEMP_ID_REUSED"
        ? `sent ${a}${receiptOf(r.tillCode, r.receiptNumber)} under the id of another ${r.kind ?? "sale"} it had already sent; it was not recorded`
        : `sent ${a}${receiptOf(r.tillCode, r.receiptNumber)} that was refused: ${r.errorMessage}`;
  return `${sender(r.tillCode)} ${what} (${times}).`;
}

export function reviewMessage(orderId: string, tillCode: string | null, receiptNumber: number | null, reasons: string[]): string {
  const from = tillCode ? ` from till ${tillCode}` : "";
  return `Sale ${orderId}${receiptOf(tillCode, receiptNumber)}${from} was recorded but needs a look: ${reasons.join("; ")}.`;
}

export function refundReviewMessage(tillCode: string | null, receiptNumber: number | null, orderId: string | null, reasons: string[]): string {
  const of = orderId ? ` of sale ${orderId}` : "";
  const from = tillCode ? ` from till ${tillCode}` : "";
  return `A refund${of}${receiptOf(tillCode, receiptNumber)}${from} was recorded but needs a look: ${reasons.join("; ")}.`;
}

export function missingReceiptsMessage(tillCode: string, from: number, to: number, reported: boolean): string {
  const count = to - from + 1;
  const which = count === 1 ? `Receipt ${formatReceipt(tillCode, from)}` : `Receipts ${formatReceipt(tillCode, from)} to ${formatReceipt(tillCode, to)} (${count} sales)`;
  const them = count === 1 ? "it" : "them";
  const holds = reported ? `and the till reports it no longer holds ${them}` : `and the till has not reported holding ${them}`;
  return `${which} of till ${tillCode} never reached the server, ${holds}.`;
}

export function negativeStockMessage(productName: string, stock: number): string {
  return `Product '${productName}' is at ${stock} in stock: more was sold than the server knew it had. Count it and adjust the stock.`;
}

export function silentTillMessage(tillCode: string, tillName: string, seenAt: Date, unsentCount: number): string {
  const hours = Math.floor((Date.now() - seenAt.getTime()) / 3_600_000);
  const sales = unsentCount === 1 ? "1 unsent sale" : `${unsentCount} unsent sales`;
  return `Till ${tillCode} ('${tillName}') has not been seen for ${hours} hours (since ${formatWhen(seenAt)}) and last reported ${sales}.`;
}
