import fc from "fast-check";
import { lineTotalCents as serverLineTotalCents, toBasisPoints, toCents } from "../../server/src/shared/money";
import { buildOfflineSale, totalOf } from "../../client/src/record-sale";

const NOW = new Date("2026-11-25T12:00:00Z");

describe("the default total of a recorded sale", () => {
  it("rounds each line half up in integer cents as the server does: three lines of 0.05 at 90% off total 0.03", () => {
    const line = { productId: "p1", quantity: 1, price: 0.05, discountPercent: 90 };
    const sale = buildOfflineSale({ items: [line, { ...line, productId: "p2" }, { ...line, productId: "p3" }] }, NOW, () => "id");
    expect(sale.totalAmount).toBe(0.03);
  });

  it("is exact where float arithmetic drifts (1.15 x 3 at 12.5% off, 0.10 x 7)", () => {
    expect(totalOf([{ productId: "a", quantity: 3, price: 1.15, discountPercent: 12.5 }])).toBe(3.02);
    expect(totalOf([{ productId: "a", quantity: 7, price: 0.1 }])).toBe(0.7);
  });

  it("equals the server's sum of line totals for any prices, quantities and discounts with two decimals", () => {
    const line = fc.record({
      productId: fc.constant("p"),
      quantity: fc.integer({ min: 1, max: 100_000 }),
      price: fc.integer({ min: 0, max: 10_000_000 }).map((c) => c / 100),
      discountPercent: fc.integer({ min: 0, max: 10_000 }).map((bp) => bp / 100),
    });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), (items) => {
        const serverCents = items.reduce((sum, l) => sum + serverLineTotalCents(toCents(l.price)!, l.quantity, toBasisPoints(l.discountPercent)!), 0);
        expect(Math.round(totalOf(items) * 100)).toBe(serverCents);
        expect(toCents(totalOf(items))).toBe(serverCents);
      }),
    );
  });
});
