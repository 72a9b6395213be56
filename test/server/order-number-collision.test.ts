import { countRows } from "../support/database";
import { saleOf } from "../support/sales";
import { type TestServer, startTestServer } from "../support/test-server";
import { authHeaders, rest } from "../support/transports";

/** Order numbers are random; this file makes them collide on purpose to prove the redraw. */
const drawn: string[] = [];
jest.mock("../../server/src/sync/order-number", () => ({
  newOrderNumber: () => drawn.shift() ?? `ORD-${Math.random().toString(36).slice(2, 8).toUpperCase()}-ZZZ`,
}));

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

describe("order numbers", () => {
  it("draws again for the sales whose order number is already taken, keeping every line and ledger row", async () => {
    const shop = await t.seed();
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    drawn.push("ORD-TAKEN1-AAA");
    const first = await rest.sync(t.url, headers, [saleOf(shop)]);
    expect(first.synced[0].orderId).toBe("ORD-TAKEN1-AAA");

    // The second batch draws the taken number for its first sale, then fresh ones.
    drawn.push("ORD-TAKEN1-AAA", "ORD-FRESH2-BBB", "ORD-FRESH3-CCC");
    const batch = [saleOf(shop), saleOf(shop)];
    const second = await rest.sync(t.url, headers, batch);
    expect(second.errors).toEqual([]);
    expect(second.synced.map((s) => s.orderId).sort()).toEqual(["ORD-FRESH2-BBB", "ORD-FRESH3-CCC"]);
    expect(await countRows(t.dataSource, "sales", shop.shopId)).toBe(3);
    expect(await countRows(t.dataSource, "sale_items", shop.shopId)).toBe(3);
    expect(await countRows(t.dataSource, "stock_movements", shop.shopId, "reason = 'sale'")).toBe(3);
  });
});
