/**
 * Money is integer cents end to end. Clients send decimal numbers (15.99); they are converted
 * exactly once, here, and refused if they carry more than two decimals or are too large to count
 * in cents exactly (1e20 has no exact cents; 1e308 × 100 is Infinity).
 */
export function toCents(amount: number): number | null {
  if (!Number.isFinite(amount)) return null;
  const scaled = amount * 100;
  const cents = Math.round(scaled);
  if (!Number.isSafeInteger(cents)) return null;
  // Accept binary floating-point noise (15.99 * 100 is 1598.9999999999998, a till's 31.98 + 1 is
  // 32.980000000000004) but nothing more: a few units in the last place of the scaled value, so a
  // real third decimal is refused at any magnitude (12345.671, 5000.005).
  if (Math.abs(scaled - cents) > Math.abs(scaled) * Number.EPSILON * 4) return null;
  return Object.is(cents, -0) ? 0 : cents;
}

/** Percent with at most two decimals as basis points (12.5% -> 1250), or null. */
export function toBasisPoints(percent: number): number | null {
  return toCents(percent);
}

/** price x qty x (1 - discount), rounded half up to the cent per line; BigInt keeps it exact. */
export function lineTotalCents(unitPriceCents: number, quantity: number, discountBasisPoints: number): number {
  const gross = BigInt(unitPriceCents) * BigInt(quantity) * BigInt(10000 - discountBasisPoints);
  return Number((gross + 5000n) / 10000n);
}

export function centsToAmount(cents: number): number {
  return cents / 100;
}

export function formatCents(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}
