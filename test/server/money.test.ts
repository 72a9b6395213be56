import { lineTotalCents, toCents } from "../../server/src/shared/money";

describe("money", () => {
  it.each([
    [15.99, 1599],
    [0.07, 7],
    [0.1 + 0.2, 30],
    [31.98 + 1, 3298],
    [99999999.99, 9999999999],
    [-0, 0],
  ])("reads %p as %p cents, tolerating only floating-point noise", (amount, cents) => {
    expect(toCents(amount)).toBe(cents);
  });

  it.each([12345.671, 5000.005, 9999999.999, 1.005, 1e-7, Number.NaN, Number.POSITIVE_INFINITY])(
    "refuses %p, which has a real third decimal or is not a number",
    (amount) => {
      expect(toCents(amount)).toBeNull();
    },
  );

  it.each([1e20, 1e308, -1e308, 2 ** 53 / 100 + 1])("refuses %p, which cannot be counted in cents exactly (issue 14 #8)", (amount) => {
    expect(toCents(amount)).toBeNull();
  });

  it("rounds each discounted line half up to the cent, exactly", () => {
    expect(lineTotalCents(1000, 3, 1250)).toBe(2625);
    expect(lineTotalCents(99, 1, 3333)).toBe(66);
    expect(lineTotalCents(5, 3, 9000)).toBe(2); // 1.5 cents rounds up
    expect(lineTotalCents(10_000_000_000, 100_000, 1)).toBe(999_900_000_000_000);
  });
});
