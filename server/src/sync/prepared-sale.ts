import { createHash } from "node:crypto";
import { lineTotalCents, toBasisPoints, toCents } from "../shared/money";
import type { OfflineSalePayload } from "./offline-sale.schema";
import { type PreparedPayment, canonicalPayments, preparePayments } from "./tenders";

/** A validated sale in the server's exact units, ready to be judged (sale-rules.ts) and written. */
export type PreparedItem = {
  productId: string;
  quantity: number;
  unitPriceCents: number;
  discountBasisPoints: number;
  lineTotalCents: number;
};

export type PreparedSale = {
  clientTempId: string;
  customerId: string | null;
  /** The cashier the till says made the sale (lowercased), if it said. */
  staffId: string | null;
  /** The till's receipt counter for the sale, if it sent one. */
  receiptNumber: number | null;
  /** A customer created offline by the till (its clientTempId, lowercased), if it said. */
  customerClientTempId: string | null;
  /** The tenders, if the till sent them (null: none sent, not "no money"). */
  payments: PreparedPayment[] | null;
  soldAt: string;
  /** createdAt exactly as the till sent it, for messages that quote it. */
  createdAtAsSent: string;
  totalCents: number;
  items: PreparedItem[];
  /** SHA-256 of the canonical payload: numbers normalised, key order irrelevant. */
  fingerprint: string;
};

export function prepareSale(sale: OfflineSalePayload): PreparedSale {
  const items = sale.items.map((item): PreparedItem => {
    // Both conversions were checked by the schema, so the fallbacks never apply.
    const unitPriceCents = toCents(item.price) ?? 0;
    const discountBasisPoints = toBasisPoints(item.discountPercent ?? 0) ?? 0;
    return {
      productId: item.productId.toLowerCase(),
      quantity: item.quantity,
      unitPriceCents,
      discountBasisPoints,
      lineTotalCents: lineTotalCents(unitPriceCents, item.quantity, discountBasisPoints),
    };
  });
  const totalCents = toCents(sale.totalAmount) ?? 0;
  const customerId = sale.customerId ? sale.customerId.toLowerCase() : null;
  const staffId = sale.staffId ? sale.staffId.toLowerCase() : null;
  const soldAt = new Date(Date.parse(sale.createdAt)).toISOString();
  const clientTempId = sale.clientTempId.toLowerCase();
  const receiptNumber = sale.receiptNumber ?? null;
  const customerClientTempId = sale.customerClientTempId ? sale.customerClientTempId.toLowerCase() : null;
  const payments = preparePayments(sale.payments);
  return {
    clientTempId,
    customerId,
    staffId,
    receiptNumber,
    customerClientTempId,
    payments,
    soldAt,
    createdAtAsSent: sale.createdAt,
    totalCents,
    items,
    fingerprint: fingerprintOf(clientTempId, customerId, soldAt, totalCents, items, {
      staffId,
      receiptNumber,
      customerClientTempId,
      payments: payments && canonicalPayments(payments),
    }),
  };
}

/**
 * Fields added to a sale after the first version of the fingerprint. Each one is part of the
 * fingerprint only when it is present (not null), so a sale without it keeps exactly the
 * fingerprint it had before the field existed, and a till retrying a sale stored before an upgrade
 * still gets `existing`. Add later fields here.
 */
type AddedFields = { staffId: string | null; receiptNumber: number | null; customerClientTempId: string | null; payments: unknown[] | null };

/** The canonical payload: the original five fields, then the added ones that are present, by name. */
function fingerprintOf(
  clientTempId: string,
  customerId: string | null,
  soldAt: string,
  totalCents: number,
  items: PreparedItem[],
  added: AddedFields,
): string {
  const canonical: unknown[] = [
    clientTempId,
    customerId,
    soldAt,
    totalCents,
    items.map((i) => [i.productId, i.quantity, i.unitPriceCents, i.discountBasisPoints]),
  ];
  const present = Object.entries(added)
    .filter(([, value]) => value !== null && value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  if (present.length > 0) canonical.push(Object.fromEntries(present));
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}
