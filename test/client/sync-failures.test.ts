import { randomUUID } from "node:crypto";
import { MemoryStorage } from "../../client/src";
import { apolloSyncTransport } from "../../client/src/sync/sync-transport";
import { countRows } from "../support/database";
import { type TestServer, startTestServer } from "../support/test-server";
import { cachedSales, cachedStock, controllableFetch, expiredTokenLike, shownStock, tempSaleKeys, testClient, warmCache } from "./client-harness";
import { ProductsDocument } from "../../client/src";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

async function serverSales(shopId: string): Promise<Map<string, { id: string; order_id: string }>> {
  const rows: { id: string; order_id: string; client_temp_id: string }[] = await t.dataSource.query(
    `SELECT id::text AS id, order_id, client_temp_id FROM sales WHERE shop_id = $1`,
    [shopId],
  );
  return new Map(rows.map((r) => [r.client_temp_id, r]));
}

describe("a response lost after the server committed", () => {
  it("is answered existing on the retry, creates no duplicate, and the client ends reconciled", async () => {
    const shop = await t.seed();
    const product = shop.products[1];
    const net = controllableFetch();
    const client = testClient(t, shop.shopId, { storage: new MemoryStorage(), token: shop.tokens.cashier, fetch: net.fetch });
    await warmCache(client);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await client.recordSale({ items: [{ productId: product.id, quantity: 2, price: product.price }] })).clientTempId);

    net.loseNextSyncResponse();
    const lost = await client.sync();
    expect(lost.kind).toBe("retrying");
    expect(net.syncAnswers[0].synced.map((s) => s.status)).toEqual(["CREATED", "CREATED", "CREATED"]);
    expect(client.pendingSales().map((r) => [r.clientTempId, r.state, r.attempts])).toEqual(ids.map((id) => [id, "pending", 1]));

    const again = await client.sync();
    expect(again).toEqual({ kind: "done", synced: 3, failed: 0 });
    expect(net.syncAnswers[1].synced.map((s) => s.status)).toEqual(["EXISTING", "EXISTING", "EXISTING"]);

    expect(await countRows(t.dataSource, "sales", shop.shopId)).toBe(3);
    const rows = await serverSales(shop.shopId);
    for (const record of client.outboxRecords()) {
      expect(record).toMatchObject({ state: "synced", serverId: rows.get(record.clientTempId)!.id, orderId: rows.get(record.clientTempId)!.order_id });
    }
    expect(tempSaleKeys(client, ids)).toEqual([]);
    expect(cachedSales(client).slice(0, 3).map((s) => s.id)).toEqual(ids.reverse().map((id) => rows.get(id)!.id));
    expect(await shownStock(client, product.id)).toBe(product.stock - 6);
    await client.dispose();
  });

  it("shows the server's stock after a refetch between the lost answer and the existing retry, not the sale counted twice", async () => {
    const shop = await t.seed();
    const product = shop.products[2];
    const net = controllableFetch();
    const client = testClient(t, shop.shopId, { storage: new MemoryStorage(), token: shop.tokens.cashier, fetch: net.fetch });
    await warmCache(client);
    const shown: (number | undefined)[] = [];
    const watching = client.apollo.watchQuery({ query: ProductsDocument }).subscribe(({ data }) => shown.push(data?.products.find((p) => p.id === product.id)?.stock));
    await client.recordSale({ items: [{ productId: product.id, quantity: 2, price: product.price }] });
    net.loseNextSyncResponse();
    expect((await client.sync()).kind).toBe("retrying");
    // The till refetches its products: the server's figure already has the sale taken off.
    await client.apollo.query({ query: ProductsDocument, fetchPolicy: "network-only" });

    expect(await client.sync()).toEqual({ kind: "done", synced: 1, failed: 0 });
    expect(net.syncAnswers[1].synced.map((s) => s.status)).toEqual(["EXISTING"]);
    for (let i = 0; i < 200 && cachedStock(client, product.id) !== product.stock - 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(cachedStock(client, product.id)).toBe(product.stock - 2);
    expect(shown.at(-1)).toBe(product.stock - 2);
    expect(await shownStock(client, product.id)).toBe(product.stock - 2);
    watching.unsubscribe();
    await client.dispose();
  });
});

describe("a sale the server rejects among good ones", () => {
  it("keeps its syncError and is not resent, while the others sync; retry resends it once and discard drops it", async () => {
    const shop = await t.seed();
    const product = shop.products[0];
    const net = controllableFetch();
    const client = testClient(t, shop.shopId, { storage: new MemoryStorage(), token: shop.tokens.cashier, fetch: net.fetch });
    await warmCache(client);
    const line = { productId: product.id, quantity: 1, price: product.price };
    const good1 = await client.recordSale({ items: [line] });
    const bad = await client.recordSale({ items: [line, { productId: randomUUID(), quantity: 1, price: 1 }] });
    const good2 = await client.recordSale({ items: [line] });
    expect(cachedStock(client, product.id)).toBe(product.stock - 3);

    expect(await client.sync()).toEqual({ kind: "done", synced: 2, failed: 1 });
    const failed = client.pendingSales();
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ clientTempId: bad.clientTempId, state: "failed" });
    expect(failed[0].state === "failed" && failed[0].syncError).toMatch(/not found/i);
    expect(client.status()).toMatchObject({ pending: 0, synced: 2, failed: 1 });
    const rows = await serverSales(shop.shopId);
    expect([...rows.keys()].sort()).toEqual([good1.clientTempId, good2.clientTempId].sort());

    // Shown as failed in the cache, still at the top, still holding its stock.
    const top = cachedSales(client)[0];
    expect(top).toMatchObject({ id: bad.clientTempId, syncState: "failed", syncError: expect.stringMatching(/not found/i) });
    expect(await shownStock(client, product.id)).toBe(product.stock - 3);

    // A permanent error is not retried automatically.
    const requests = net.syncRequests();
    expect(await client.sync()).toEqual({ kind: "done", synced: 0, failed: 0 });
    expect(net.syncRequests()).toBe(requests);

    await client.retry(bad.clientTempId);
    await client.sync();
    expect(net.syncRequests()).toBe(requests + 1);
    expect(client.pendingSales()).toEqual([expect.objectContaining({ clientTempId: bad.clientTempId, state: "failed" })]);

    await client.discard(bad.clientTempId);
    expect(client.pendingSales()).toEqual([]);
    expect(client.outboxRecords().map((r) => r.clientTempId)).not.toContain(bad.clientTempId);
    expect(tempSaleKeys(client, [bad.clientTempId])).toEqual([]);
    expect(cachedSales(client).map((s) => s.id)).not.toContain(bad.clientTempId);
    expect(await shownStock(client, product.id)).toBe(product.stock - 2);
    expect(await countRows(t.dataSource, "sales", shop.shopId)).toBe(2);
    await client.dispose();
  });
});

describe("a token that expires mid-queue", () => {
  it("pauses the sync with authRequired, keeps the queue, and resumes with a new token without losing a sale", async () => {
    const shop = await t.seed();
    const product = shop.products[3];
    let token = shop.tokens.cashier;
    const tokensAsked: string[] = [];
    const client = testClient(t, shop.shopId, {
      storage: new MemoryStorage(),
      batchSize: 100,
      getToken: () => {
        tokensAsked.push(token);
        const now = token;
        // The token expires after the first request.
        if (token === shop.tokens.cashier) token = expiredTokenLike(t, shop.tokens.cashier);
        return now;
      },
    });
    await client.ready;
    const ids: string[] = [];
    for (let i = 0; i < 250; i++) ids.push((await client.recordSale({ items: [{ productId: product.id, quantity: 1, price: product.price }] })).clientTempId);

    const paused = await client.sync();
    expect(paused.kind).toBe("authRequired");
    expect(client.status()).toMatchObject({ authRequired: true, synced: 100, pending: 150 });
    expect(client.pendingSales().map((r) => r.clientTempId)).toEqual(ids.slice(100));
    expect(client.pendingSales().every((r) => r.state === "pending")).toBe(true);
    expect(await countRows(t.dataSource, "sales", shop.shopId)).toBe(100);

    token = shop.tokens.owner;
    expect(await client.sync()).toEqual({ kind: "done", synced: 150, failed: 0 });
    expect(client.status()).toMatchObject({ authRequired: false, synced: 250, pending: 0, lastError: null });
    expect(tokensAsked.at(-1)).toBe(shop.tokens.owner);
    const rows = await serverSales(shop.shopId);
    expect(rows.size).toBe(250);
    expect(new Set(rows.keys())).toEqual(new Set(ids));
    await client.dispose();
  });

  it("pauses on 403 for a role without sales:create, like on 401", async () => {
    const shop = await t.seed();
    const client = testClient(t, shop.shopId, { storage: new MemoryStorage(), token: shop.tokens.viewer });
    await client.ready;
    const record = await client.recordSale({ items: [{ productId: shop.products[0].id, quantity: 1, price: shop.products[0].price }] });
    expect((await client.sync()).kind).toBe("authRequired");
    expect(client.status().authRequired).toBe(true);
    expect(client.pendingSales()).toEqual([expect.objectContaining({ clientTempId: record.clientTempId, state: "pending" })]);
    await client.dispose();
  });
});

describe("a request refused for a reason that is not the sales", () => {
  it("keeps every sale pending and reports lastError when the uri is wrong (404), then syncs once it is right", async () => {
    const shop = await t.seed();
    const storage = new MemoryStorage();
    const wrong = testClient(t, shop.shopId, { storage, token: shop.tokens.cashier, uri: `${t.url}/graphq` });
    await wrong.ready;
    for (let i = 0; i < 3; i++) await wrong.recordSale({ items: [{ productId: shop.products[0].id, quantity: 1, price: shop.products[0].price }] });
    const report = await wrong.sync();
    expect(report).toMatchObject({ kind: "retrying", error: expect.stringContaining("404") });
    expect(wrong.pendingSales().map((r) => r.state)).toEqual(["pending", "pending", "pending"]);
    expect(wrong.status()).toMatchObject({ pending: 3, failed: 0, lastError: expect.stringContaining("404"), nextRetryAt: expect.any(String) });
    await wrong.dispose();

    const right = testClient(t, shop.shopId, { storage, token: shop.tokens.cashier });
    expect(await right.sync()).toEqual({ kind: "done", synced: 3, failed: 0 });
    await right.dispose();
  });

  it("pauses on a header-level BAD_REQUEST (x-shop-id not a UUID) without failing the queue", async () => {
    const shop = await t.seed();
    const client = testClient(t, "shop-1", { storage: new MemoryStorage(), token: shop.tokens.cashier });
    await client.ready;
    for (let i = 0; i < 4; i++) await client.recordSale({ items: [{ productId: shop.products[0].id, quantity: 1, price: shop.products[0].price }] });
    expect(await client.sync()).toEqual({ kind: "retrying", error: "HTTP 400: x-shop-id header must be a UUID", retryInMs: expect.any(Number) });
    expect(client.status()).toMatchObject({ pending: 4, failed: 0, lastError: "HTTP 400: x-shop-id header must be a UUID" });
    await client.dispose();
  });

  it("splits on the server's coercion error naming $sales, so only the sale with a bad value fails", async () => {
    const shop = await t.seed();
    const product = shop.products[0];
    let bad = "";
    const client = testClient(t, shop.shopId, {
      storage: new MemoryStorage(),
      token: shop.tokens.cashier,
      // A value recordSale would refuse, as an older till build might have stored it.
      transport: (apollo) => {
        const send = apolloSyncTransport(apollo);
        return (sales) => send(sales.map((s) => (s.clientTempId === bad ? { ...s, items: [{ ...s.items[0], quantity: 1.5 }] } : s)));
      },
    });
    await client.ready;
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await client.recordSale({ items: [{ productId: product.id, quantity: 1, price: product.price }] })).clientTempId);
    bad = ids[2];
    expect(await client.sync()).toEqual({ kind: "done", synced: 3, failed: 1 });
    expect(client.pendingSales()).toEqual([expect.objectContaining({ clientTempId: bad, state: "failed", syncError: expect.stringContaining("$sales") })]);
    expect(await countRows(t.dataSource, "sales", shop.shopId)).toBe(3);
    await client.dispose();
  });
});
