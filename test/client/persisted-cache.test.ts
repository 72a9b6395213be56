import { gql } from "@apollo/client/core";
import { MemoryStorage, ProductsDocument } from "../../client/src";
import { CACHE_SCHEMA_VERSION } from "../../client/src/cache/persisted-cache";
import { type TestServer, startTestServer } from "../support/test-server";
import { cachedStock, testClient, warmCache } from "./client-harness";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

describe("the persisted Apollo cache", () => {
  it("is restored before the first query, so a reload offline still shows the products", async () => {
    const shop = await t.seed();
    const storage = new MemoryStorage();
    const first = testClient(t, shop.shopId, { storage, token: shop.tokens.cashier });
    await warmCache(first);
    await first.dispose();
    const second = testClient(t, shop.shopId, { storage, token: shop.tokens.cashier, fetch: () => Promise.reject(new TypeError("offline")) });
    await second.ready;
    const { data } = await second.apollo.query({ query: ProductsDocument });
    expect(data.products.map((p) => p.id).sort()).toEqual(shop.products.map((p) => p.id).sort());
    await second.dispose();
  });

  it("is dropped, not crashed on, when written by an incompatible version or unreadable", async () => {
    const shop = await t.seed();
    const key = `pos-sync:${shop.shopId}:apollo-cache`;
    for (const [version, value] of [
      ["pos-sync-cache-0", '{"ROOT_QUERY":{"__typename":"Query","products":"not a list"}}'],
      [CACHE_SCHEMA_VERSION, "{ this is not json"],
    ]) {
      const storage = new MemoryStorage();
      await storage.setItem(key, value);
      await storage.setItem(`${key}:version`, version);
      const client = testClient(t, shop.shopId, { storage, token: shop.tokens.cashier });
      await client.ready;
      expect(client.apollo.cache.extract()).toEqual({});
      expect(await storage.getItem(`${key}:version`)).toBe(CACHE_SCHEMA_VERSION);
      expect(await storage.getItem(key)).toBeNull();
      await client.dispose();
    }
  });

  it("is rebuilt from the outbox when purged: unsynced sales and their stock are shown again", async () => {
    const shop = await t.seed();
    const product = shop.products[0];
    const storage = new MemoryStorage();
    const first = testClient(t, shop.shopId, { storage, token: shop.tokens.cashier, fetch: () => Promise.reject(new TypeError("offline")) });
    await first.ready;
    const record = await first.recordSale({ items: [{ productId: product.id, quantity: 3, price: product.price }] });
    await first.dispose();
    const second = testClient(t, shop.shopId, { storage, token: shop.tokens.cashier, cacheVersion: "app-2" });
    await warmCache(second);
    expect((second.apollo.cache.extract() as Record<string, unknown>)[`Sale:${record.clientTempId}`]).toBeDefined();
    expect(cachedStock(second, product.id)).toBe(product.stock - 3);
    await second.dispose();
  });

  it("is in storage right after flushCache() even while cache writes keep restarting the debounce", async () => {
    const shop = await t.seed();
    const storage = new MemoryStorage();
    const key = `pos-sync:${shop.shopId}:apollo-cache`;
    const client = testClient(t, shop.shopId, { storage, token: shop.tokens.cashier, cacheDebounceMs: 200 });
    await warmCache(client);
    const ticker = keepWriting(client.apollo.cache, 20);
    try {
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await storage.getItem(key)).toBeNull();
      await client.flushCache();
      const stored = JSON.parse((await storage.getItem(key)) ?? "{}") as Record<string, unknown>;
      for (const product of shop.products) expect(stored[`Product:${product.id}`]).toBeDefined();
    } finally {
      clearInterval(ticker.timer);
    }
    client.apollo.cache.writeQuery({ query: TICK, data: { tick: -1 } });
    await client.dispose();
    const afterDispose = JSON.parse((await storage.getItem(key)) ?? "{}") as { ROOT_QUERY?: { tick?: number } };
    expect(afterDispose.ROOT_QUERY?.tick).toBe(-1);
  });

  it("is persisted when the page is hidden or hidden away (pagehide, visibilitychange), and no longer after dispose()", async () => {
    const shop = await t.seed();
    const storage = new MemoryStorage();
    const key = `pos-sync:${shop.shopId}:apollo-cache`;
    const page = globalThis as { window?: EventTarget; document?: EventTarget & { visibilityState: string } };
    page.window = new EventTarget();
    page.document = Object.assign(new EventTarget(), { visibilityState: "visible" });
    try {
      const client = testClient(t, shop.shopId, { storage, token: shop.tokens.cashier, cacheDebounceMs: 60_000 });
      await warmCache(client);
      const storedTick = async () => (JSON.parse((await storage.getItem(key)) ?? "{}") as { ROOT_QUERY?: { tick?: number } }).ROOT_QUERY?.tick;
      const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

      client.apollo.cache.writeQuery({ query: TICK, data: { tick: 1 } });
      page.window.dispatchEvent(new Event("pagehide"));
      await settle();
      expect(await storedTick()).toBe(1);

      client.apollo.cache.writeQuery({ query: TICK, data: { tick: 2 } });
      page.document.dispatchEvent(new Event("visibilitychange"));
      await settle();
      expect(await storedTick()).toBe(1);
      page.document.visibilityState = "hidden";
      page.document.dispatchEvent(new Event("visibilitychange"));
      await settle();
      expect(await storedTick()).toBe(2);

      await client.dispose();
      await storage.setItem(key, "{}");
      page.window.dispatchEvent(new Event("pagehide"));
      await settle();
      expect(await storage.getItem(key)).toBe("{}");
    } finally {
      delete page.window;
      delete page.document;
    }
  });
});

const TICK = gql`
  query Tick {
    tick
  }
`;

/** Writes to the cache every `everyMs`, as a busy till does (queries, watchers, sales). */
function keepWriting(cache: { writeQuery: (options: { query: typeof TICK; data: { tick: number } }) => unknown }, everyMs: number) {
  let tick = 0;
  const timer = setInterval(() => cache.writeQuery({ query: TICK, data: { tick: ++tick } }), everyMs);
  return { timer };
}
