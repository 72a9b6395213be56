import { randomUUID } from "node:crypto";
import type { SeededShops } from "../../server/src/demo/seed";
import { checkInvariants } from "../../server/src/invariants/check";
import { type TestServer, startTestServer } from "../support/test-server";
import { TRANSPORTS, gql } from "../support/transports";
import { RESOLVE, attention, pairedTill, receiptSale, signedIn, tillView } from "../receipts/receipts-support";
import { paidSale, refundById, refundOf, syncDay } from "./offline-day-support";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t.close());

describe.each(TRANSPORTS)("one receipt journal per till over $name", (transport) => {
  let shop: SeededShops;
  let manager: Awaited<ReturnType<typeof signedIn>>;
  beforeAll(async () => {
    shop = await t.seed();
    manager = await signedIn(t, shop, "manager");
  });

  it("counts a refund's receipt number as received for the gaps, and shows it as the till's receipt", async () => {
    const till = await pairedTill(t, shop);
    const s1 = receiptSale(shop, 1);
    const answer = await syncDay(transport, t.url, till.headers, {
      sales: [s1, receiptSale(shop, 3)],
      refunds: [refundOf(shop, { clientTempId: s1.clientTempId }, { receiptNumber: 2 })],
    });
    expect(answer.refunds.synced[0].warnings).toEqual([]);
    const view = await tillView(t, manager.headers, till.till.id);
    expect(view).toMatchObject({ highestReceipt: 3, receiptGaps: [] });
    expect((await refundById(t.url, manager.headers, answer.refunds.synced[0].serverId)).receiptNumber).toBe(`${till.till.code}-000002`);
    const later = await syncDay(transport, t.url, till.headers, { refunds: [refundOf(shop, { clientTempId: s1.clientTempId }, { receiptNumber: 6 })] });
    expect(later.refunds.errors).toEqual([]);
    expect((await tillView(t, manager.headers, till.till.id)).receiptGaps).toEqual([{ from: 4, to: 5, status: "MISSING" }]);
  });

  it("flags a refund that reuses a sale's receipt number, and a sale that reuses a refund's, naming the other", async () => {
    const till = await pairedTill(t, shop);
    const s1 = receiptSale(shop, 1);
    const first = await syncDay(transport, t.url, till.headers, { sales: [s1], refunds: [refundOf(shop, { clientTempId: s1.clientTempId }, { receiptNumber: 2 })] });
    const refundId = first.refunds.synced[0].serverId;
    const reused = await syncDay(transport, t.url, till.headers, {
      sales: [receiptSale(shop, 2)],
      refunds: [refundOf(shop, { clientTempId: s1.clientTempId }, { receiptNumber: 1 })],
    });
    const code = till.till.code;
    expect(reused.sales.synced[0].warnings).toEqual([
      `receipt number ${code}-000002 was already used by refund ${refundId}; the till may have been restored from a backup; the sale was recorded and flagged for review`,
    ]);
    // Two refunds of one unit each of a sale of two are within what it sold: only the receipt reason.
    expect(reused.refunds.synced[0].warnings).toEqual([
      `receipt number ${code}-000001 was already used by sale ${first.sales.synced[0].orderId}; the till may have been restored from a backup; the refund was recorded and flagged for review`,
    ]);
    expect(await checkInvariants(t.dataSource, { shopId: shop.shopId })).toEqual([]);
  });

  it("lists a flagged refund for attention as REFUND_REVIEW, resolvable for good", async () => {
    const till = await pairedTill(t, shop);
    const refund = refundOf(shop, { clientTempId: randomUUID() }, { receiptNumber: 1 });
    const answer = await syncDay(transport, t.url, till.headers, { refunds: [refund] });
    const id = `refund-review:${answer.refunds.synced[0].serverId}`;
    const item = (await attention(t, manager.headers)).find((i) => i.id === id);
    expect(item).toMatchObject({
      kind: "REFUND_REVIEW",
      till: { id: till.till.id },
      refersTo: { kind: "REFUND", id: answer.refunds.synced[0].serverId },
      message: expect.stringMatching(new RegExp(`^A refund \\(receipt ${till.till.code}-000001\\) from till ${till.till.code} was recorded but needs a look: sale .* is not on the server yet`)),
    });
    const resolved = await gql<{ resolveAttention: { id: string } }>(t.url, manager.headers, RESOLVE, { id, note: "customer known" });
    expect(resolved.data?.resolveAttention.id).toBe(id);
    expect((await attention(t, manager.headers)).find((i) => i.id === id)).toBeUndefined();
  });

  it("lists a refused refund as a REJECTION saying it was a refund", async () => {
    const till = await pairedTill(t, shop);
    const ghost = "7c9e6679-7425-40de-944b-e07fc1f90a00";
    const bad = refundOf(shop, { serverId: ghost }, { lines: [{ productId: ghost, quantity: 1, amount: 1 }], totalAmount: 1, receiptNumber: 4 });
    await syncDay(transport, t.url, till.headers, { refunds: [bad] });
    const items = (await attention(t, manager.headers)).filter((i) => i.kind === "REJECTION" && i.till?.id === till.till.id);
    expect(items.map((i) => i.message)).toEqual([expect.stringMatching(new RegExp(`^Till ${till.till.code} sent a refund \\(receipt ${till.till.code}-000004\\) with product '${ghost}' that does not exist`))]);
    expect((await tillView(t, manager.headers, till.till.id)).receiptGaps).toEqual([]);
  });
});

describe("the invariant checker on refunds and payments", () => {
  it("names a refund whose restock is missing from the ledger, an unflagged over-refund and payments that do not add up", async () => {
    const shop = await t.seed();
    const sale = paidSale(shop, { payments: [{ method: "CASH", amount: 50 }] });
    const answer = await syncDay("graphql", t.url, { authorization: `Bearer ${shop.tokens.cashier}`, "x-shop-id": shop.shopId }, {
      sales: [sale],
      refunds: [refundOf(shop, { clientTempId: sale.clientTempId }, { restock: true }, 2)],
    });
    expect(await checkInvariants(t.dataSource, { shopId: shop.shopId })).toEqual([]);
    const refundId = answer.refunds.synced[0].serverId;
    await t.dataSource.query(`UPDATE refund_lines SET quantity = 5 WHERE shop_id = $1 AND refund_id = $2`, [shop.shopId, refundId]);
    await t.dataSource.query(`UPDATE sales SET change_cents = 0 WHERE shop_id = $1 AND id = $2`, [shop.shopId, answer.sales.synced[0].serverId]);
    const broken = (await checkInvariants(t.dataSource, { shopId: shop.shopId })).map((b) => b.invariant);
    expect(broken).toEqual(expect.arrayContaining(["refund-restock-in-ledger", "refund-within-sold", "sale-payments-match-total"]));
  });
});
