import { parseOfflineSale } from "../../server/src/sync/offline-sale.schema";
import { prepareSale } from "../../server/src/sync/prepared-sale";

/**
 * A sale and the fingerprint the code gave it before any optional field (staffId, receiptNumber,
 * payments, ...) existed: each upgrade's test checks that a sale without the new field keeps it.
 */
export const FIXED_PRODUCTS = ["7c9e6679-7425-40de-944b-e07fc1f90ae7", "7c9e6679-7425-40de-944b-e07fc1f90ae8"];
export const FIXED_SALE = {
  clientTempId: "0b6f4b0e-3c1a-4d5e-9f00-15a1e5000001",
  items: [
    { productId: FIXED_PRODUCTS[0], quantity: 2, price: 12, discountPercent: 0 },
    { productId: FIXED_PRODUCTS[1], quantity: 1, price: 4.5, discountPercent: 10 },
  ],
  totalAmount: 28.05,
  customerId: null,
  createdAt: "2024-01-15T10:30:00Z",
};
export const FINGERPRINT_BEFORE_UPGRADES = "bc5432e432d023a5fce80a18ede0d18f498ed2f431b481d6c5b289ae23e33f75";

/** The fingerprint the server computes for a sale as sent. */
export function fingerprintOf(raw: unknown): string {
  const parsed = parseOfflineSale(raw);
  if (!parsed.ok) throw new Error(parsed.error);
  return prepareSale(parsed.sale).fingerprint;
}
