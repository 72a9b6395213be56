/**
 * The client's one money rule. Amounts are integer cents inside; decimal amounts (15.99) exist only
 * at the edges, in the sale sent to the server and on screen, and are converted here, exactly once.
 * The line rule is the server's (server/src/shared/money.ts, which the client may not import):
 * price x quantity x (1 - discount), rounded half up per line to the cent, in BigInt so it is exact
 * at any size. test/client/money-agrees-with-server.test.ts checks that both give the same cents.
 */

/** What a line of a sale or of a cart needs for its total: decimal price, a quantity, a percent off. */
export type PricedLine = { price: number; quantity: number; discountPercent?: number | null };

/**
 * 15.99 -> 1599. Rounds to the nearest cent, which for an amount with at most two decimals is that
 * amount exactly (15.99 * 100 is 1598.9999999999998 in binary floating point).
 */
export function toCents(amount: number): number {
  const cents = Math.round(amount * 100);
  return Object.is(cents, -0) ? 0 : cents;
}

/** A percent with at most two decimals as basis points: 12.5 -> 1250. */
export function toBasisPoints(percent: number): number {
  return toCents(percent);
}

/** 1599 -> 15.99, the decimal the GraphQL API carries (the nearest double to it, as JSON writes it). */
export function centsToAmount(cents: number): number {
  return cents / 100;
}

/** round_half_up(priceCents x quantity x (10000 - discountBasisPoints) / 10000), as the server computes it. */
export function lineTotalCents(priceCents: number, quantity: number, discountBasisPoints: number): number {
  const gross = BigInt(priceCents) * BigInt(quantity) * BigInt(10000 - discountBasisPoints);
  return Number((gross + 5000n) / 10000n);
}

/** A line's total in cents, from its decimal price and percent. */
export function lineCents(line: PricedLine): number {
  return lineTotalCents(toCents(line.price), line.quantity, toBasisPoints(line.discountPercent ?? 0));
}

/** A sale's total in cents: the sum of its lines, each rounded on its own (never the rounded sum). */
export function saleTotalCents(lines: readonly PricedLine[]): number {
  return lines.reduce((sum, line) => sum + lineCents(line), 0);
}

/** Cents for the screen, always with two decimals and thousands grouped: 123456 -> "1,234.56". */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(Math.trunc(cents));
  const whole = String((abs - (abs % 100)) / 100).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}${whole}.${String(abs % 100).padStart(2, "0")}`;
}
