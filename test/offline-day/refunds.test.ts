import { randomUUID } from "node:crypto";
import type { SeededShops } from "../../server/src/demo/seed";
import { checkInvariants } from "../../server/src/invariants/check";
import { ledgerSum, stockOf } from "../support/database";
import { type TestServer, startTestServer } from "../support/test-server";
import { TRANSPORTS, authHeaders } from "../support/transports";
import { pairedTill } from "../receipts/receipts-support";
import { customerOf, paidSale, refundById, refundOf, refundsOfSale, syncDay } from "./offline-day-support";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t.close());

const flagged = (reason: string) => `${reason}; the refund was recorded and flagged for review`;

describe.each(TRANSPORTS)("refunds over $name", (transport) => {
  let shop: SeededShops;
  let owner: Record<string, string>;
  let cashier: Record<string, string>;
  beforeAll(async () => {
    shop = await t.seed();
    owner = authHeaders(shop.tokens.owner, shop.shopId);
    cashier = authHeaders(shop.tokens.cashier, shop.shopId);
  });
  afterAll(async () => expect(await checkInvariants(t.dataSource, { shopId: shop.shopId })).toEqual([]));

  it("links a refund of a sale in the same request and restocks it through the ledger", async () => {
    const productId = shop.products[0].id;
    const before = await stockOf(t.dataSource, shop.shopId, productId);
    const sale = paidSale(shop);
    const refund = refundOf(shop, { clientTempId: sale.clientTempId }, { restock: true });
    const answer = await syncDay(transport, t.url, cashier, { sales: [sale], refunds: [refund] });
    expect(answer.refunds).toEqual({ synced: [{ clientTempId: refund.clientTempId, serverId: expect.any(String), status: "created", warnings: [] }], errors: [] });
    expect(await stockOf(t.dataSource, shop.shopId, productId)).toBe(before - 2 + 1);
    expect(await ledgerSum(t.dataSource, shop.shopId, productId)).toBe(before - 2 + 1);
    const [movement] = await t.dataSource.query(`SELECT quantity_delta, reason FROM stock_movements WHERE shop_id = $1 AND refund_id = $2`, [shop.shopId, answer.refunds.synced[0].serverId]);
    expect(movement).toEqual({ quantity_delta: 1, reason: "refund" });
    const view = await refundsOfSale(t.url, owner, answer.sales.synced[0].serverId);
    expect(view.refundedAmount).toBe(shop.products[0].price);
    expect(view.refunds).toHaveLength(1);
    expect(view.refunds[0]).toMatchObject({
      sale: { id: answer.sales.synced[0].serverId },
      saleRef: { clientTempId: sale.clientTempId, serverId: null },
      lines: [{ product: { id: productId }, quantity: 1, amount: shop.products[0].price }],
      restock: true,
      needsReview: false,
    });
  });

  it("links a refund of a sale synced earlier, by serverId or by clientTempId, without restock leaving stock alone", async () => {
    const sale = paidSale(shop);
    const first = await syncDay(transport, t.url, cashier, { sales: [sale], customers: [] });
    const stock = await stockOf(t.dataSource, shop.shopId, shop.products[0].id);
    const byServerId = refundOf(shop, { serverId: first.sales.synced[0].serverId });
    const byTempId = refundOf(shop, { clientTempId: sale.clientTempId });
    const answer = await syncDay(transport, t.url, cashier, { refunds: [byServerId, byTempId] });
    expect(answer.refunds.synced.map((s) => s.warnings)).toEqual([[], []]);
    expect(await stockOf(t.dataSource, shop.shopId, shop.products[0].id)).toBe(stock);
    const view = await refundsOfSale(t.url, owner, first.sales.synced[0].serverId);
    expect(view.refunds.map((r) => r.clientTempId).sort()).toEqual([byServerId.clientTempId, byTempId.clientTempId].sort());
    expect(view.refundedAmount).toBe(shop.products[0].price * 2);
  });

  it("records a refund of a sale still on another till unlinked and flagged, and links it when the sale arrives", async () => {
    const [tillA, tillB] = [await pairedTill(t, shop), await pairedTill(t, shop)];
    const sale = paidSale(shop);
    const refund = refundOf(shop, { clientTempId: sale.clientTempId });
    const early = await syncDay(transport, t.url, tillA.headers, { refunds: [refund] });
    const reason = `sale ${sale.clientTempId} is not on the server yet; the refund is linked to it when it arrives`;
    expect(early.refunds.synced[0]).toMatchObject({ status: "created", warnings: [flagged(reason)] });
    const id = early.refunds.synced[0].serverId;
    expect(await refundById(t.url, owner, id)).toMatchObject({ sale: null, needsReview: true, reviewReasons: [reason] });

    const arrived = await syncDay(transport, t.url, tillB.headers, { sales: [sale], customers: [] });
    expect(arrived.sales.synced[0].status).toBe("created");
    expect((await refundById(t.url, owner, id)).sale).toEqual({ id: arrived.sales.synced[0].serverId, orderId: arrived.sales.synced[0].orderId });
    expect((await refundsOfSale(t.url, owner, arrived.sales.synced[0].serverId)).refunds.map((r) => r.id)).toEqual([id]);
  });

  it("links it also when the sale arrives through syncOfflineSales", async () => {
    const sale = paidSale(shop);
    const refund = refundOf(shop, { clientTempId: sale.clientTempId });
    const early = await syncDay(transport, t.url, cashier, { refunds: [refund] });
    const arrived = await transport.sync(t.url, cashier, [sale]);
    expect((await refundById(t.url, owner, early.refunds.synced[0].serverId)).sale?.id).toBe(arrived.synced[0].serverId);
  });

  it("records a refund of a rejected sale unlinked and flagged, in the same request and after it", async () => {
    const rejected = paidSale(shop, { items: [{ productId: randomUUID(), quantity: 1, price: 1 }], totalAmount: 1 });
    const same = refundOf(shop, { clientTempId: rejected.clientTempId });
    const answer = await syncDay(transport, t.url, cashier, { sales: [rejected], refunds: [same] });
    expect(answer.sales.errors).toHaveLength(1);
    const reason = `sale ${rejected.clientTempId} was refused by the server; the refund is not linked to a sale`;
    expect(answer.refunds.synced[0].warnings).toEqual([flagged(reason)]);
    const later = await syncDay(transport, t.url, cashier, { refunds: [refundOf(shop, { clientTempId: rejected.clientTempId })] });
    expect(later.refunds.synced[0].warnings).toEqual([flagged(reason)]);
    const unknown = randomUUID();
    const byId = await syncDay(transport, t.url, cashier, { refunds: [refundOf(shop, { serverId: unknown })] });
    expect(byId.refunds.synced[0].warnings).toEqual([flagged(`sale ${unknown} not found; the refund is not linked to a sale`)]);
  });

  it("records and flags refunds beyond what was sold minus earlier refunds (quantities and money)", async () => {
    const sale = paidSale(shop, {}, 2);
    const answer = await syncDay(transport, t.url, cashier, {
      sales: [sale],
      refunds: [refundOf(shop, { clientTempId: sale.clientTempId }, {}, 2), refundOf(shop, { clientTempId: sale.clientTempId }, {}, 1)],
    });
    const orderId = answer.sales.synced[0].orderId;
    const price = shop.products[0].price.toFixed(2);
    expect(answer.refunds.synced.map((s) => s.warnings)).toEqual([
      [],
      [
        flagged(`refunds 1 of product ${shop.products[0].id} but sale ${orderId} has 0 left to refund (sold minus earlier refunds)`),
        flagged(`refunds ${price} but sale ${orderId} has 0.00 left to refund`),
      ],
    ]);
    const money = await syncDay(transport, t.url, cashier, { refunds: [refundOf(shop, { serverId: answer.sales.synced[0].serverId }, { totalAmount: 0.5, lines: [{ productId: shop.products[1].id, quantity: 1, amount: 0.5 }] })] });
    expect(money.refunds.synced[0].warnings[0]).toMatch(new RegExp(`^refunds 1 of product ${shop.products[1].id} but sale ${orderId} has 0 left`));
  });

  it("refuses a refund of a product the shop does not have, keeps it as a rejection of kind refund, and records the others", async () => {
    const ghost = randomUUID();
    const bad = refundOf(shop, { clientTempId: randomUUID() }, { lines: [{ productId: ghost, quantity: 1, amount: 1 }], totalAmount: 1 });
    const good = refundOf(shop, { clientTempId: randomUUID() });
    const answer = await syncDay(transport, t.url, cashier, { refunds: [bad, good] });
    expect(answer.refunds.errors).toEqual([{ clientTempId: bad.clientTempId, error: `Product ${ghost} not found`, retryable: false }]);
    expect(answer.refunds.synced.map((s) => s.clientTempId)).toEqual([good.clientTempId]);
    const kept = await t.dataSource.query(`SELECT kind, error_code, times_sent FROM sale_rejections WHERE shop_id = $1 AND client_temp_id = $2`, [shop.shopId, bad.clientTempId]);
    expect(kept).toEqual([{ kind: "refund", error_code: "PRODUCT_NOT_FOUND", times_sent: 1 }]);
  });

  it("answers a retry existing (nothing written twice, restocked once) and refuses another refund under the same id", async () => {
    const sale = paidSale(shop);
    const refund = refundOf(shop, { clientTempId: sale.clientTempId }, { restock: true, payments: [{ method: "CASH", amount: shop.products[0].price }] });
    const first = await syncDay(transport, t.url, cashier, { sales: [sale], refunds: [refund] });
    const stock = await stockOf(t.dataSource, shop.shopId, shop.products[0].id);
    const again = await syncDay(transport, t.url, cashier, { sales: [sale], refunds: [refund, refund] });
    expect(again.refunds.synced).toEqual([
      { clientTempId: refund.clientTempId, serverId: first.refunds.synced[0].serverId, status: "existing", warnings: [] },
      { clientTempId: refund.clientTempId, serverId: first.refunds.synced[0].serverId, status: "existing", warnings: [] },
    ]);
    expect(await stockOf(t.dataSource, shop.shopId, shop.products[0].id)).toBe(stock);
    const other = await syncDay(transport, t.url, cashier, { refunds: [{ ...refund, reason: "changed mind" }] });
    expect(other.refunds.errors).toEqual([
      { clientTempId: refund.clientTempId, error: `clientTempId ${refund.clientTempId} was already used for a different refund; the original was kept unchanged`, retryable: false },
    ]);
  });

  it("answers a refund the database refuses (stock pushed past its range) as that refund's error, recording the rest of the day", async () => {
    const fresh = await t.seed();
    const h = authHeaders(fresh.tokens.cashier, fresh.shopId);
    const full = fresh.products[1];
    await t.dataSource.query(`UPDATE products SET stock = 2147483647 WHERE shop_id = $1 AND id = $2`, [fresh.shopId, full.id]);
    await t.dataSource.query(`INSERT INTO stock_movements (shop_id, product_id, quantity_delta, reason) VALUES ($1, $2, 2147483647 - (SELECT COALESCE(sum(quantity_delta), 0) FROM stock_movements WHERE shop_id = $1 AND product_id = $2), 'adjustment')`, [fresh.shopId, full.id]);
    const sale = paidSale(fresh);
    const overflow = refundOf(fresh, { clientTempId: sale.clientTempId }, { restock: true, lines: [{ productId: full.id, quantity: 1, amount: 1 }], totalAmount: 1 });
    const fine = refundOf(fresh, { clientTempId: sale.clientTempId }, { restock: true });
    const answer = await syncDay(transport, t.url, h, { customers: [customerOf()], sales: [sale], refunds: [overflow, fine] });
    expect(answer.httpStatus).toBe(200);
    expect(answer.customers.synced).toHaveLength(1);
    expect(answer.sales.synced).toHaveLength(1);
    expect(answer.refunds.synced.map((s) => s.clientTempId)).toEqual([fine.clientTempId]);
    expect(answer.refunds.errors).toEqual([
      { clientTempId: overflow.clientTempId, error: "Invalid refund: quantities push a product's stock past the range the server can count; it was not saved", retryable: false },
    ]);
    expect(await checkInvariants(t.dataSource, { shopId: fresh.shopId })).toEqual([]);
  });

  it("answers an invalid refund with an error naming the field", async () => {
    const bad = refundOf(shop, { clientTempId: randomUUID() });
    bad.lines[0].quantity = 0;
    const both = refundOf(shop, { clientTempId: randomUUID(), serverId: randomUUID() });
    const answer = await syncDay(transport, t.url, cashier, { refunds: [bad, both] });
    expect(answer.refunds.errors).toEqual([
      { clientTempId: bad.clientTempId, error: "Invalid refund: lines[0].quantity must be a positive integer", retryable: false },
      { clientTempId: both.clientTempId, error: "Invalid refund: sale must give exactly one of clientTempId and serverId", retryable: false },
    ]);
  });
});
