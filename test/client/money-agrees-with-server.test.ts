import fc from "fast-check";
import * as server from "../../server/src/shared/money";
import { centsToAmount, formatCents, lineCents, lineTotalCents, saleTotalCents, toBasisPoints, toCents } from "../../client/src/money";
import { loadAppModule } from "./app-module";

/** The server's limits on a line (server/src/sync/offline-sale.schema.ts). */
const MAX_PRICE_CENTS = 10_000_000 * 100;
const MAX_QUANTITY = 100_000;

type Triple = { priceCents: number; quantity: number; discountBasisPoints: number };

const anyTriple: fc.Arbitrary<Triple> = fc.record({
  priceCents: fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: MAX_PRICE_CENTS })),
  quantity: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: MAX_QUANTITY })),
  discountBasisPoints: fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom(0, 1250, 3333, 3400, 5000, 9999, 10_000)),
});

/**
 * Triples whose exact line total ends in half a cent, where rounding half up and rounding half to
 * even (or float error) part: price x quantity x (10000 - bp) is an odd multiple of 5000, i.e.
 * 2^3 x 5^4 x an odd number, its factors of 2 and 5 dealt out over the three.
 */
const halfCentTriple: fc.Arbitrary<Triple> = fc
  .record({
    twos: fc.tuple(fc.nat(3), fc.nat(3)).filter(([a, b]) => a + b <= 3),
    fives: fc.tuple(fc.nat(4), fc.nat(4)).filter(([a, b]) => a + b <= 4),
    odd: fc.tuple(fc.nat(2000), fc.nat(200), fc.nat(20)).map((odds) => odds.map((n) => 2 * n + 1)),
  })
  .map(({ twos: [p2, q2], fives: [p5, q5], odd: [po, qo, dOdd] }) => {
    const d = 2 ** (3 - p2 - q2) * 5 ** (4 - p5 - q5) * dOdd;
    return { priceCents: 2 ** p2 * 5 ** p5 * po, quantity: 2 ** q2 * 5 ** q5 * qo, discountBasisPoints: 10_000 - d };
  })
  .filter((t) => t.discountBasisPoints >= 0 && t.quantity <= MAX_QUANTITY && t.priceCents <= MAX_PRICE_CENTS);

const serverCentsOf = ({ priceCents, quantity, discountBasisPoints }: Triple) =>
  server.lineTotalCents(server.toCents(priceCents / 100)!, quantity, server.toBasisPoints(discountBasisPoints / 100)!);

const lineOf = ({ priceCents, quantity, discountBasisPoints }: Triple) => ({ price: priceCents / 100, quantity, discountPercent: discountBasisPoints / 100 });

describe("client money and the server's money", () => {
  it("give the same cents for every price, quantity and discount the server accepts, half-cent edges included", () => {
    fc.assert(
      // A boolean property, not expect(): jest's matchers would cost more than the arithmetic.
      fc.property(fc.oneof(anyTriple, halfCentTriple), (triple) => {
        const serverCents = serverCentsOf(triple);
        return lineCents(lineOf(triple)) === serverCents && lineTotalCents(triple.priceCents, triple.quantity, triple.discountBasisPoints) === serverCents;
      }),
      { numRuns: 300_000 },
    );
  });

  it("really meets half cents in the edge cases, and rounds each of them up", () => {
    fc.assert(
      fc.property(halfCentTriple, (t) => {
        const exactTenThousandths = BigInt(t.priceCents) * BigInt(t.quantity) * BigInt(10_000 - t.discountBasisPoints);
        return exactTenThousandths % 10_000n === 5000n && BigInt(lineTotalCents(t.priceCents, t.quantity, t.discountBasisPoints)) === exactTenThousandths / 10_000n + 1n;
      }),
      { numRuns: 20_000 },
    );
  });

  it("sum a sale's lines each rounded on its own, as the server does", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(anyTriple, halfCentTriple), { minLength: 1, maxLength: 20 }), (triples) => {
        return saleTotalCents(triples.map(lineOf)) === triples.reduce((sum, t) => sum + serverCentsOf(t), 0);
      }),
      { numRuns: 20_000 },
    );
  });

  it("convert decimal amounts with two decimals to cents and back exactly, as the server reads them", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 * 100 }), (cents) => {
        return toCents(centsToAmount(cents)) === cents && server.toCents(centsToAmount(cents)) === cents && toBasisPoints(cents / 100) === cents;
      }),
      { numRuns: 100_000 },
    );
  });

  it("format cents with two decimals and grouped thousands", () => {
    expect([0, 5, 17, 1200, 123456, 100000000, -1999].map(formatCents)).toEqual(["0.00", "0.05", "0.17", "12.00", "1,234.56", "1,000,000.00", "-19.99"]);
  });
});

describe("the till's cart", () => {
  type CartLine = { productId: string; name: string; price: number; quantity: number; discountPercent: number };
  const cart = loadAppModule("cart.ts") as { cartTotal(lines: CartLine[]): number; lineTotal(line: CartLine): number };
  const line = (price: number, quantity: number, discountPercent: number): CartLine => ({ productId: `p${price}`, name: "item", price, quantity, discountPercent });

  it("shows 0.17 for a 0.25 item at 34% off, the total the server stores", () => {
    expect(cart.lineTotal(line(0.25, 1, 34))).toBe(0.17);
    expect(cart.cartTotal([line(0.25, 1, 34)])).toBe(0.17);
  });

  it("totals every line as the server does", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(anyTriple, halfCentTriple), { minLength: 1, maxLength: 10 }), (triples) => {
        const lines = triples.map((t) => line(t.priceCents / 100, t.quantity, t.discountBasisPoints / 100));
        return toCents(cart.cartTotal(lines)) === triples.reduce((sum, t) => sum + serverCentsOf(t), 0);
      }),
      { numRuns: 5_000 },
    );
  });
});
