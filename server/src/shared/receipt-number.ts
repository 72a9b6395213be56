/**
 * How a receipt number is written: the till's code and its 6-digit counter, `T03-000124`. The
 * counter is the till's own (1, 2, 3, ... per till, assigned at the moment of sale); beyond
 * 999,999 it simply gets longer. Shared by every place that shows or reads one.
 */
export function formatReceipt(tillCode: string, receiptNumber: number): string {
  return `${tillCode}-${String(receiptNumber).padStart(6, "0")}`;
}

/** A receipt counter is stored as a PostgreSQL integer. */
export const MAX_RECEIPT_NUMBER = 2_147_483_647;

export type ParsedReceipt = { tillCode: string; receiptNumber: number };

const RECEIPT = /^(T\d{2,9})-(\d{1,10})$/i;

/** `T03-000124` (any case, surrounding spaces ignored), or null when it is not a receipt number. */
export function parseReceipt(text: string): ParsedReceipt | null {
  const match = RECEIPT.exec(text.trim());
  if (!match) return null;
  const receiptNumber = Number(match[2]);
  if (receiptNumber < 1 || receiptNumber > MAX_RECEIPT_NUMBER) return null;
  return { tillCode: match[1].toUpperCase(), receiptNumber };
}
