import { MemoryStorage, ProductDocument, ProductsDocument } from "../../client/src";
import type { SeededShops } from "../../server/src/demo/seed";
import { type TestServer, startTestServer } from "../support/test-server";
import { authHeaders, gql } from "../support/transports";
import { cachedStock, controllableFetch, testClient } from "./client-harness";

/** The catalogue held on the till (issue 12): pulled into the client's storage, kept current by deltas, sold from offline. */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

const owner = (shop: SeededShops) => authHeaders(shop.tokens.owner, shop.shopId);
const mug = (shop: SeededShops) => shop.products.find((p) => p.name === "Ceramic mug")!;

async function setPrice(shop: SeededShops, id: string, price: number) {
  const res = await gql(t.url, owner(shop), `mutation($id: ID!, $p: Float) { updateProduct(id: $id, price: $p) { id price } }`, { id, p: price });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
}

describe("the catalogue on the till", () => {
  it("pulls the whole catalogue into its storage on the first refresh, and says from when in the status", async () => {
    const shop = await t.seed();
    const client = testClient(t, shop.shopId, { storage: new MemoryStorage(), token: shop.tokens.cashier, catalogPageSize: 2 });
    await client.ready;
    expect(client.status().catalogSyncedAt).toBeNull();
    expect(await client.refreshCatalog()).toBe(true);
    expect(client.status().catalogSyncedAt).not.toBeNull();
    expect(client.status().catalogVersion).toEqual(expect.any(String));
    const listed = client.apollo.readQuery({ query: ProductsDocument });
    expect(listed?.products.map((p) => p.name).sort()).toEqual(shop.products.map((p) => p.name).sort());
    await client.dispose();
  });

  it("brings a price change with the next delta: the cache shows the new price, the version moves", async () => {
    const shop = await t.seed();
    const client = testClient(t, shop.shopId, { storage: new MemoryStorage(), token: shop.tokens.cashier });
    await client.ready;
    await client.refreshCatalog();
    const version = client.status().catalogVersion;
    await setPrice(shop, mug(shop).id, 13.5);
    expect(await client.refreshCatalog()).toBe(true);
    expect(client.status().catalogVersion).not.toBe(version);
    expect(client.apollo.readQuery({ query: ProductsDocument })?.products.find((p) => p.id === mug(shop).id)?.price).toBe(13.5);
    await client.dispose();
  });

  it("starts offline with a purged Apollo cache and still lists, finds and sells from the stored catalogue", async () => {
    const shop = await t.seed();
    const storage = new MemoryStorage();
    const first = testClient(t, shop.shopId, { storage, token: shop.tokens.cashier, cacheMaxSize: false });
    await first.ready;
    await first.refreshCatalog();
    await first.dispose();
    // The persisted cache is gone (apollo3-cache-persist purged it past its size cap); the catalogue is not.
    await storage.removeItem(`pos-sync:${shop.shopId}:apollo-cache`);

    const net = controllableFetch();
    net.down();
    const offline = testClient(t, shop.shopId, { storage, token: shop.tokens.cashier, fetch: net.fetch });
    await offline.ready;
    const { data } = await offline.apollo.query({ query: ProductsDocument, fetchPolicy: "cache-first" });
    expect(data.products.length).toBe(shop.products.length);
    const found = await offline.apollo.query({ query: ProductsDocument, variables: { search: "MUG" }, fetchPolicy: "cache-only" });
    expect(found.data.products.map((p) => p.name)).toEqual(["Ceramic mug"]);
    const one = await offline.apollo.query({ query: ProductDocument, variables: { id: mug(shop).id }, fetchPolicy: "cache-only" });
    expect(one.data.product?.name).toBe("Ceramic mug");
    await offline.recordSale({ items: [{ productId: mug(shop).id, quantity: 1, price: mug(shop).price }] });
    expect(cachedStock(offline, mug(shop).id)).toBe(mug(shop).stock - 1);
    expect(offline.status().catalogSyncedAt).not.toBeNull();
    await offline.dispose();
  });

  it("drops an archived product from the list with the next delta", async () => {
    const shop = await t.seed();
    const client = testClient(t, shop.shopId, { storage: new MemoryStorage(), token: shop.tokens.cashier });
    await client.ready;
    await client.refreshCatalog();
    await gql(t.url, owner(shop), `mutation($id: ID!) { archiveProduct(id: $id) { id } }`, { id: mug(shop).id });
    await client.refreshCatalog();
    expect(client.apollo.readQuery({ query: ProductsDocument })?.products.some((p) => p.id === mug(shop).id)).toBe(false);
    await client.dispose();
  });

  it("pulls everything again when the server no longer reads its cursor (a rotated secret, a damaged value)", async () => {
    const shop = await t.seed();
    const storage = new MemoryStorage();
    const first = testClient(t, shop.shopId, { storage, token: shop.tokens.cashier });
    await first.ready;
    await first.refreshCatalog();
    await first.dispose();
    const meta = JSON.parse((await storage.getItem(`pos-sync:${shop.shopId}:catalog:meta`))!) as { cursor: string };
    await storage.setItem(`pos-sync:${shop.shopId}:catalog:meta`, JSON.stringify({ ...meta, cursor: `${meta.cursor.slice(0, -4)}AAAA` }));
    const again = testClient(t, shop.shopId, { storage, token: shop.tokens.cashier });
    await again.ready;
    expect(await again.refreshCatalog()).toBe(true);
    expect(again.status().catalogVersion).not.toContain("AAAA");
    expect(again.apollo.readQuery({ query: ProductsDocument })?.products).toHaveLength(shop.products.length);
    await again.dispose();
  });

  it("answers false and keeps what it has when the server cannot be reached", async () => {
    const shop = await t.seed();
    const net = controllableFetch();
    const client = testClient(t, shop.shopId, { storage: new MemoryStorage(), token: shop.tokens.cashier, fetch: net.fetch });
    await client.ready;
    await client.refreshCatalog();
    const at = client.status().catalogSyncedAt;
    net.down();
    expect(await client.refreshCatalog()).toBe(false);
    expect(client.status().catalogSyncedAt).toBe(at);
    await client.dispose();
  });
});
