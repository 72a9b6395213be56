import { InvalidSaleError, MemoryStorage, type PosClient } from "../../client/src";
import type { SeededShops } from "../../server/src/demo/seed";
import { stockOf } from "../support/database";
import { type TestServer, startTestServer } from "../support/test-server";
import { authHeaders, gql } from "../support/transports";
import { cachedSales, controllableFetch, testClient, warmCache } from "./client-harness";

/** A till's offline day reaching the real server through the client (issue 11): order, links, tenders, limits. */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

function mug(shop: SeededShops) {
  return shop.products.find((p) => p.name === "Ceramic mug")!;
}

/** A client whose sync requests are logged by operation, offline until `net.up()`. */
async function dayClient(shop: SeededShops) {
  const net = controllableFetch();
  const operations: string[] = [];
  const logging: typeof fetch = async (input, init) => {
    const body = typeof init?.body === "string" ? (JSON.parse(init.body) as { operationName?: string }) : {};
    if (body.operationName === "SyncOffline" || body.operationName === "SyncOfflineSales") operations.push(body.operationName);
    return net.fetch(input, init);
  };
  const client = testClient(t, shop.shopId, { storage: new MemoryStorage(), token: shop.tokens.cashier, fetch: logging });
  await warmCache(client);
  net.down();
  return { client, net, operations };
}

async function serverSale(shop: SeededShops, id: string) {
  const res = await gql<{ sale: { customer: { id: string; name: string } | null; refundedAmount: number; refunds: { clientTempId: string; needsReview: boolean }[]; payments: { method: string; amount: number }[]; changeAmount: number } }>(
    t.url,
    authHeaders(shop.tokens.owner, shop.shopId),
    `query($id: ID!) { sale(id: $id) { customer { id name } refundedAmount refunds { clientTempId needsReview } payments { method amount } changeAmount } }`,
    { id },
  );
  if (!res.data?.sale) throw new Error(`no sale: ${JSON.stringify(res.errors)}`);
  return res.data.sale;
}

const serverIdOf = (client: PosClient, clientTempId: string) => {
  const record = client.outboxRecords().find((r) => r.clientTempId === clientTempId);
  if (record?.state !== "synced") throw new Error(`sale ${clientTempId} is ${record?.state}`);
  return record.serverId;
};

describe("an offline day synced by the client", () => {
  it("sends the new customer before the sale that names it; the server and the cache end with the server's customer", async () => {
    const shop = await t.seed();
    const { client, net, operations } = await dayClient(shop);
    const customer = await client.createCustomer({ name: "Grace Hopper", phone: "+44 20 7946 0000" });
    const sale = await client.recordSale({ items: [{ productId: mug(shop).id, quantity: 1, price: 12 }], customerClientTempId: customer.clientTempId, payments: [{ method: "CASH", amount: 20 }] });
    net.up();
    expect(await client.sync()).toMatchObject({ kind: "done" });
    expect(operations).toEqual(["SyncOffline", "SyncOfflineSales"]);
    const customerRecord = client.entityRecords()[0];
    if (customerRecord.state !== "synced") throw new Error("customer not synced");
    const onServer = await serverSale(shop, serverIdOf(client, sale.clientTempId));
    expect(onServer).toMatchObject({ customer: { id: customerRecord.serverId, name: "Grace Hopper" }, payments: [{ method: "CASH", amount: 20 }], changeAmount: 8 });
    expect(cachedSales(client).find((s) => s.clientTempId === sale.clientTempId)?.customer?.id).toBe(customerRecord.serverId);
    await client.dispose();
  });

  it("sends a refund of a sale that was still queued after that sale: shown on it at once, linked on the server, its units back in stock, and the cache ends with the server's ids", async () => {
    const shop = await t.seed();
    const { client, net, operations } = await dayClient(shop);
    const before = await stockOf(t.dataSource, shop.shopId, mug(shop).id);
    const sale = await client.recordSale({ items: [{ productId: mug(shop).id, quantity: 2, price: 12 }] });
    const refund = await client.refundSale(sale.clientTempId, [{ productId: mug(shop).id, quantity: 1 }], { restock: true, reason: "chipped" });
    const shown = () => cachedSales(client).find((s) => s.clientTempId === sale.clientTempId);
    expect(shown()).toMatchObject({ refundedAmount: 12, refunds: [{ id: refund.clientTempId, clientTempId: refund.clientTempId, totalAmount: 12 }] });
    net.up();
    expect(await client.sync()).toMatchObject({ kind: "done" });
    expect(operations).toEqual(["SyncOfflineSales", "SyncOffline"]);
    // Reconciled: the sale and its refund under the server's ids, no temp entry left.
    const synced = client.entityRecords()[0];
    if (synced.state !== "synced") throw new Error("refund not synced");
    expect(shown()).toMatchObject({ id: serverIdOf(client, sale.clientTempId), refundedAmount: 12, refunds: [{ id: synced.serverId, clientTempId: refund.clientTempId }] });
    expect(Object.keys(client.apollo.cache.extract() as Record<string, unknown>)).not.toContain(`Refund:${refund.clientTempId}`);
    const onServer = await serverSale(shop, serverIdOf(client, sale.clientTempId));
    expect(onServer).toMatchObject({ refundedAmount: 12, refunds: [{ clientTempId: refund.clientTempId, needsReview: false }] });
    expect(await stockOf(t.dataSource, shop.shopId, mug(shop).id)).toBe(before - 1);
    expect(client.entityRecords().map((r) => r.state)).toEqual(["synced"]);
    await client.dispose();
  });

  it("still sends the refund of a sale the server rejected (the server keeps it, flagged)", async () => {
    const shop = await t.seed();
    const { client, net } = await dayClient(shop);
    const sale = await client.recordSale({ items: [{ productId: shop.otherShop.productId, quantity: 1, price: 5 }] });
    await client.refundSale(sale.clientTempId, [{ productId: mug(shop).id, quantity: 1, amount: 5 }], { restock: false });
    net.up();
    expect(await client.sync()).toMatchObject({ kind: "done", failed: 1 });
    const [refund] = client.entityRecords();
    expect(refund.state).toBe("synced");
    if (refund.state === "synced") expect(refund.warnings.join(" ")).toMatch(/reject|review|not/i);
    await client.dispose();
  });

  it("refuses offline a card payment above the shop's offline card limit, once it has learned the limit", async () => {
    const shop = await t.seed();
    await gql(t.url, authHeaders(shop.tokens.owner, shop.shopId), `mutation { updateShopSettings(offlineCardLimit: 50) { offlineCardLimit } }`);
    const net = controllableFetch();
    const client = testClient(t, shop.shopId, { storage: new MemoryStorage(), token: shop.tokens.cashier, fetch: net.fetch });
    await warmCache(client);
    // The products list (warmCache) brought the limit into the cache.
    net.down();
    await client.recordSale({ items: [{ productId: mug(shop).id, quantity: 1, price: 12 }] });
    await client.sync();
    expect(client.status().online).toBe(false);
    const big = { items: [{ productId: mug(shop).id, quantity: 5, price: 12 }] };
    await expect(client.recordSale({ ...big, payments: [{ method: "CARD", amount: 60 }] })).rejects.toThrow(InvalidSaleError);
    await expect(client.recordSale({ ...big, payments: [{ method: "CARD", amount: 60 }] })).rejects.toThrow(/above 50\.00 cannot be taken offline/);
    expect((await client.recordSale({ ...big, payments: [{ method: "CARD", amount: 40 }, { method: "CASH", amount: 20 }] })).sale.payments).toHaveLength(2);
    await client.dispose();
  });
});
