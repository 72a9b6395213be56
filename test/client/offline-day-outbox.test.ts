import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { InvalidSaleError, MemoryStorage, type PosClient, receiptLabel } from "../../client/src";
import { FileStorage } from "../../client/src/node";
import type { SeededShops } from "../../server/src/demo/seed";
import { type TestServer, startTestServer } from "../support/test-server";
import { cachedStock, controllableFetch, testClient, warmCache } from "./client-harness";
import { DyingStorage } from "./dying-storage";

/** A till's offline day in the client's outbox (issue 11): customers, refunds and tenders, before any sync. */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

const TILL = { id: "6a1f3b52-4f4e-4d1c-9d51-0c2a3e8e0a07", code: "T07" };

async function offlineClient(shop: SeededShops, storage = new MemoryStorage()) {
  const net = controllableFetch();
  const client = testClient(t, shop.shopId, { storage, token: shop.tokens.cashier, till: TILL, fetch: net.fetch });
  await warmCache(client);
  net.down();
  return { client, net };
}

function mug(shop: SeededShops) {
  return shop.products.find((p) => p.name === "Ceramic mug")!;
}

describe("an offline day in the outbox", () => {
  it("signs a customer up and records a sale for them by the customer's temp id, both at once", async () => {
    const shop = await t.seed();
    const { client } = await offlineClient(shop);
    const customer = await client.createCustomer({ name: "  Grace Hopper ", email: "grace@example.com" });
    expect(customer).toMatchObject({ kind: "customer", state: "pending", customer: { name: "Grace Hopper", email: "grace@example.com" } });
    const sale = await client.recordSale({ items: [{ productId: mug(shop).id, quantity: 1, price: 12 }], customerClientTempId: customer.clientTempId });
    expect(sale.sale.customerClientTempId).toBe(customer.clientTempId);
    expect(client.status().pending).toBe(2);
    await client.dispose();
  });

  it("refunds a sale still in the outbox: linked by its clientTempId, the amount by the sale's line rule, numbered from the same receipt counter", async () => {
    const shop = await t.seed();
    const { client } = await offlineClient(shop);
    const sale = await client.recordSale({ items: [{ productId: mug(shop).id, quantity: 3, price: 12, discountPercent: 10 }] });
    const refund = await client.refundSale(sale.clientTempId, [{ productId: mug(shop).id, quantity: 1 }], { reason: "chipped" });
    if (refund.kind !== "refund") throw new Error("not a refund");
    // One unit of 12.00 less 10%: 10.80.
    expect(refund.refund).toMatchObject({ sale: { clientTempId: sale.clientTempId }, lines: [{ productId: mug(shop).id, quantity: 1, amount: 10.8 }], totalAmount: 10.8, restock: true, reason: "chipped" });
    expect([sale.sale.receiptNumber, refund.refund.receiptNumber]).toEqual([1, 2]);
    expect(receiptLabel(TILL, refund.refund.receiptNumber!)).toBe("T07-000002");
    expect((await client.recordSale({ items: [{ productId: mug(shop).id, quantity: 1, price: 12 }] })).sale.receiptNumber).toBe(3);
    await client.dispose();
  });

  it("shows the stock a restocking refund puts back before the server has it", async () => {
    const shop = await t.seed();
    const { client } = await offlineClient(shop);
    const before = cachedStock(client, mug(shop).id)!;
    const sale = await client.recordSale({ items: [{ productId: mug(shop).id, quantity: 2, price: 12 }] });
    expect(cachedStock(client, mug(shop).id)).toBe(before - 2);
    await client.refundSale(sale.clientTempId, [{ productId: mug(shop).id, quantity: 2 }], { restock: true });
    expect(cachedStock(client, mug(shop).id)).toBe(before);
    await client.refundSale(sale.clientTempId, [{ productId: mug(shop).id, quantity: 1, amount: 1 }], { restock: false });
    expect(cachedStock(client, mug(shop).id)).toBe(before);
    await client.dispose();
  });

  it("discards a refund not yet sent: it leaves the outbox and its units no longer count in the shown stock", async () => {
    const shop = await t.seed();
    const { client } = await offlineClient(shop);
    const before = cachedStock(client, mug(shop).id)!;
    const sale = await client.recordSale({ items: [{ productId: mug(shop).id, quantity: 2, price: 12 }] });
    const refund = await client.refundSale(sale.clientTempId, [{ productId: mug(shop).id, quantity: 2 }]);
    expect(cachedStock(client, mug(shop).id)).toBe(before);
    await client.discard(refund.clientTempId);
    expect(client.entityRecords()).toHaveLength(0);
    expect(cachedStock(client, mug(shop).id)).toBe(before - 2);
    expect(client.status().pending).toBe(1);
    await client.dispose();
  });

  it("takes cash beyond the total and marks every tender taken offline", async () => {
    const shop = await t.seed();
    const { client } = await offlineClient(shop);
    // The first sale's sync finds no network: the client now knows it is offline (as the browser's offline event would say).
    await client.recordSale({ items: [{ productId: mug(shop).id, quantity: 1, price: 12 }] });
    await client.sync();
    expect(client.status().online).toBe(false);
    const sale = await client.recordSale({ items: [{ productId: mug(shop).id, quantity: 1, price: 12 }], payments: [{ method: "CASH", amount: 20 }] });
    expect(sale.sale.payments).toEqual([{ method: "CASH", amount: 20, offline: true }]);
    await expect(client.recordSale({ items: [{ productId: mug(shop).id, quantity: 1, price: 12 }], payments: [{ method: "CHEQUE" as "CASH", amount: 12 }] })).rejects.toThrow(
      new InvalidSaleError("payments[0].method must be one of CASH, CARD, VOUCHER, OTHER"),
    );
    await client.dispose();
  });

  it("refuses a customer without a name and a refund of nothing, naming the field, and stores neither", async () => {
    const shop = await t.seed();
    const { client } = await offlineClient(shop);
    await expect(client.createCustomer({ name: " " })).rejects.toThrow(/^name: /);
    await expect(client.refundSale("0b7f1d0e-0000-4000-8000-000000000001", [])).rejects.toThrow(/^lines: /);
    await expect(client.refundSale("0b7f1d0e-0000-4000-8000-000000000001", [{ productId: mug(shop).id, quantity: 1 }])).rejects.toThrow(/lines\[0\]\.amount is required/);
    expect(client.entityRecords()).toHaveLength(0);
    await client.dispose();
  });
});

describe("a crash between a sale and its refund", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "pos-sync-day-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps the sale and the refund that resolved, numbers on from the highest after the restart, then syncs each once with the refund linked", async () => {
    const shop = await t.seed();
    const dying = new DyingStorage(await FileStorage.open(dir), 1_000_000, "before");
    const { client: crashed } = await offlineClient(shop, dying as unknown as MemoryStorage);
    const sale = await crashed.recordSale({ items: [{ productId: mug(shop).id, quantity: 2, price: 12 }] });
    const refund = await crashed.refundSale(sale.clientTempId, [{ productId: mug(shop).id, quantity: 1 }]);
    dying.writesLeft = 0;
    await expect(crashed.recordSale({ items: [{ productId: mug(shop).id, quantity: 1, price: 12 }] })).rejects.toThrow();

    const restarted = testClient(t, shop.shopId, { storage: await FileStorage.open(dir), token: shop.tokens.cashier, till: TILL, fetch: controllableFetch().fetch });
    await restarted.ready;
    expect(restarted.outboxRecords().map((r) => r.clientTempId)).toEqual([sale.clientTempId]);
    expect(restarted.entityRecords().map((r) => r.clientTempId)).toEqual([refund.clientTempId]);
    expect((await restarted.recordSale({ items: [{ productId: mug(shop).id, quantity: 1, price: 12 }] })).sale.receiptNumber).toBe(3);

    // Then the network: the sale, its refund and the later sale each reach the server once, the refund linked.
    expect(await restarted.sync()).toMatchObject({ kind: "done", failed: 0 });
    const [{ sales, refunds, linked }] = await t.dataSource.query<{ sales: string; refunds: string; linked: string }[]>(
      `SELECT (SELECT count(*) FROM sales WHERE shop_id = $1)::text AS sales, (SELECT count(*) FROM refunds WHERE shop_id = $1)::text AS refunds,
              (SELECT count(*) FROM refunds r JOIN sales s ON s.shop_id = r.shop_id AND s.id = r.sale_id WHERE r.shop_id = $1 AND s.client_temp_id = $2)::text AS linked`,
      [shop.shopId, sale.clientTempId],
    );
    expect({ sales, refunds, linked }).toEqual({ sales: "2", refunds: "1", linked: "1" });
    await restarted.dispose();
    await crashed.dispose().catch(() => undefined);
  });
});

export type { PosClient };
