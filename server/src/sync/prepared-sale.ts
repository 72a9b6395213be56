import { createHash } from "node:crypto";
import { formatCents, lineTotalCents, toBasisPoints, toCents } from "../shared/money";
import type { OfflineSalePayload } from "./offline-sale.schema";

/** A validated sale in the server's exact units, ready to be written set-based. */
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
  soldAt: string;
  totalCents: number;
  items: PreparedItem[];
  needsReview: boolean;
  reviewReasons: string[];
  warnings: string[];
  /** SHA-256 of the canonical payload: numbers normalised, key order irrelevant. */
  fingerprint: string;
};

/** A client's total may differ from the lines by a rounding cent; beyond that a person must look. */
const TOTAL_TOLERANCE_CENTS = 1;
/** A till's clock may run ahead a little; a day ahead (or a date before 2000) means it is wrong. */
const CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;
const PLAUSIBLE_SINCE = Date.parse("2000-01-01T00:00:00Z");

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
  const linesCents = items.reduce((sum, item) => sum + item.lineTotalCents, 0);
  const reviewReasons: string[] = [];
  if (Math.abs(totalCents - linesCents) > TOTAL_TOLERANCE_CENTS) {
    reviewReasons.push(
      `totalAmount ${formatCents(totalCents)} differs from the sum of the lines ${formatCents(linesCents)}`,
    );
  }
  const soldAtMs = Date.parse(sale.createdAt);
  if (soldAtMs > Date.now() + CLOCK_SKEW_MS || soldAtMs < PLAUSIBLE_SINCE) {
    reviewReasons.push(`createdAt ${sale.createdAt} is implausible; the till's clock may be wrong`);
  }
  const customerId = sale.customerId ? sale.customerId.toLowerCase() : null;
  const soldAt = new Date(soldAtMs).toISOString();
  const clientTempId = sale.clientTempId.toLowerCase();
  return {
    clientTempId,
    customerId,
    soldAt,
    totalCents,
    items,
    needsReview: reviewReasons.length > 0,
    reviewReasons,
    warnings: reviewReasons.map((reason) => `${reason}; the sale was recorded and flagged for review`),
    fingerprint: fingerprintOf(clientTempId, customerId, soldAt, totalCents, items),
  };
}

function fingerprintOf(
  clientTempId: string,
  customerId: string | null,
  soldAt: string,
  totalCents: number,
  items: PreparedItem[],
): string {
  const canonical = JSON.stringify([
    clientTempId,
    customerId,
    soldAt,
    totalCents,
    items.map((i) => [i.productId, i.quantity, i.unitPriceCents, i.discountBasisPoints]),
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}
