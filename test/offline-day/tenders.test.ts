import type { SeededShops } from "../../server/src/demo/seed";
import { checkInvariants } from "../../server/src/invariants/check";
import { type TestServer, startTestServer } from "../support/test-server";
import { TRANSPORTS, authHeaders, gql } from "../support/transports";
import { pairedTill, signedIn } from "../receipts/receipts-support";
import { paidSale, refundOf, refundById, refundsOfSale, syncDay } from "./offline-day-support";

let t: TestServer;
let shop: SeededShops;
beforeAll(async () => {
  t = await startTestServer();
  shop = await t.seed();
});
afterAll(async () => t.close());

const owner = () => authHeaders(shop.tokens.owner, shop.shopId);
const cashier = () => authHeaders(shop.tokens.cashier, shop.shopId);
const SETTINGS = `mutation($limit: Float) { updateShopSettings(offlineCardLimit: $limit) { offlineCardLimit } }`;
const flagged = (reason: string) => `${reason}; the sale was recorded and flagged for review`;

describe.each(TRANSPORTS)("tenders over $name", (transport) => {
  it("stores cash beyond the total as change, the payments as rows", async () => {
    const sale = paidSale(shop, { payments: [{ method: "CARD", amount: 10, reference: "slip 1" }, { method: "CASH", amount: 30 }] });
    const answer = await syncDay(transport, t.url, cashier(), { sales: [sale], refunds: [] });
    expect(answer.sales.synced[0].warnings).toEqual([]);
    const view = await refundsOfSale(t.url, owner(), answer.sales.synced[0].serverId);
    expect(view.changeAmount).toBe(Math.round((40 - sale.totalAmount) * 100) / 100);
    expect(view.payments).toEqual([
      { method: "CARD", amount: 10, reference: "slip 1", offline: false },
      { method: "CASH", amount: 30, reference: null, offline: false },
    ]);
  });

  it("records and flags payments that do not cover the total", async () => {
    const sale = paidSale(shop, { payments: [{ method: "CASH", amount: 1 }] });
    const answer = await syncDay(transport, t.url, cashier(), { sales: [sale], customers: [] });
    const reason = `payments 1.00 do not cover the total ${sale.totalAmount.toFixed(2)}`;
    expect(answer.sales.synced[0].warnings).toEqual([flagged(reason)]);
    const res = await gql<{ sale: { needsReview: boolean; reviewReasons: string[]; changeAmount: number } }>(t.url, owner(), `query($id: ID!) { sale(id: $id) { needsReview reviewReasons changeAmount } }`, { id: answer.sales.synced[0].serverId });
    expect(res.data?.sale).toEqual({ needsReview: true, reviewReasons: [reason], changeAmount: 0 });
  });

  it("flags non-cash payments beyond the total (no change from a card)", async () => {
    const sale = paidSale(shop, { payments: [{ method: "CARD", amount: 100 }] });
    const answer = await syncDay(transport, t.url, cashier(), { sales: [sale], customers: [] });
    expect(answer.sales.synced[0].warnings[0]).toMatch(/^non-cash payments exceed the total .* by \d+\.\d\d; the sale was recorded and flagged for review$/);
  });

  it("flags an offline card payment above the shop's offline card limit, not one below it or made online", async () => {
    const fresh = await t.seed();
    const h = authHeaders(fresh.tokens.cashier, fresh.shopId);
    expect((await gql(t.url, authHeaders(fresh.tokens.owner, fresh.shopId), SETTINGS, { limit: 20 })).data).toEqual({ updateShopSettings: { offlineCardLimit: 20 } });
    const total = paidSale(fresh).totalAmount;
    const over = paidSale(fresh, { payments: [{ method: "CARD", amount: total, offline: true }] });
    const online = paidSale(fresh, { payments: [{ method: "CARD", amount: total }] });
    const answer = await syncDay(transport, t.url, h, { sales: [over, online], customers: [] });
    const reason = `card payment ${total.toFixed(2)} recorded offline is above the shop's offline card limit 20.00`;
    expect(answer.sales.synced.map((s) => s.warnings)).toEqual([[flagged(reason)], []]);
    const refund = refundOf(fresh, { serverId: answer.sales.synced[1].serverId }, { payments: [{ method: "CARD", amount: total, offline: true }] }, 2);
    const r = await syncDay(transport, t.url, h, { refunds: [refund] });
    expect(r.refunds.synced[0].warnings).toEqual([`${reason}; the refund was recorded and flagged for review`]);
    expect((await refundById(t.url, authHeaders(fresh.tokens.owner, fresh.shopId), r.refunds.synced[0].serverId)).payments).toEqual([
      { method: "CARD", amount: total, reference: null, offline: true },
    ]);
    expect(await checkInvariants(t.dataSource, { shopId: fresh.shopId })).toEqual([]);
  });

  it("answers an invalid payment with an error naming the field", async () => {
    const sale = paidSale(shop, { payments: [{ method: "CASH", amount: 1.234 }] });
    const answer = await syncDay(transport, t.url, cashier(), { sales: [sale], customers: [] });
    expect(answer.sales.errors).toEqual([{ clientTempId: sale.clientTempId, error: "Invalid sale: payments[0].amount must have at most 2 decimals", retryable: false }]);
  });
});

describe("shop settings", () => {
  it("lets an owner and a manager set the offline card limit and every role, tills included, read it", async () => {
    const fresh = await t.seed();
    const manager = await signedIn(t, fresh, "manager");
    expect((await gql(t.url, manager.headers, SETTINGS, { limit: 150.5 })).data).toEqual({ updateShopSettings: { offlineCardLimit: 150.5 } });
    const till = await pairedTill(t, fresh);
    for (const headers of [till.headers, authHeaders(fresh.tokens.cashier, fresh.shopId), (await signedIn(t, fresh, "viewer")).headers]) {
      expect((await gql(t.url, headers, `{ shopSettings { offlineCardLimit } }`)).data).toEqual({ shopSettings: { offlineCardLimit: 150.5 } });
    }
    expect((await gql(t.url, authHeaders(fresh.tokens.owner, fresh.shopId), SETTINGS, { limit: null })).data).toEqual({ updateShopSettings: { offlineCardLimit: null } });
  });

  it("refuses the change to a cashier, a viewer and a till (FORBIDDEN) and a bad amount naming the field", async () => {
    const fresh = await t.seed();
    const till = await pairedTill(t, fresh);
    for (const headers of [till.headers, authHeaders(fresh.tokens.cashier, fresh.shopId), (await signedIn(t, fresh, "viewer")).headers]) {
      const res = await gql(t.url, headers, SETTINGS, { limit: 5 });
      expect(res.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    }
    const bad = await gql(t.url, authHeaders(fresh.tokens.owner, fresh.shopId), SETTINGS, { limit: -1 });
    expect(bad.errors?.[0]).toMatchObject({ message: "offlineCardLimit: must be >= 0", extensions: { code: "BAD_USER_INPUT" } });
  });
});
