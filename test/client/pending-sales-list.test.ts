import { MemoryStorage, SalesDocument } from "../../client/src";
import { type TestServer, startTestServer } from "../support/test-server";
import { testClient } from "./client-harness";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

describe("the cached sales list without a server page", () => {
  it("lists the outbox's pending sales in the sales query when the purged cache has no sales list, and still fetches it online", async () => {
    const shop = await t.seed();
    const product = shop.products[0];
    const storage = new MemoryStorage();
    const offline = () => Promise.reject(new TypeError("offline"));
    const first = testClient(t, shop.shopId, { storage, token: shop.tokens.cashier, fetch: offline });
    await first.ready;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await first.recordSale({ items: [{ productId: product.id, quantity: 1, price: product.price }] })).clientTempId);
    await first.dispose();

    const second = testClient(t, shop.shopId, { storage, token: shop.tokens.cashier, cacheVersion: "purged", fetch: offline });
    await second.ready;
    const { data } = await second.apollo.query({ query: SalesDocument, variables: { first: 50 }, fetchPolicy: "cache-only" });
    expect(data.sales.items.map((s) => s.clientTempId)).toEqual([...ids].reverse());
    expect(data.sales.items.every((s) => s.syncState === "pending")).toBe(true);
    await second.dispose();

    let salesRequests = 0;
    const counting: typeof fetch = (input, init) => {
      if (typeof init?.body === "string" && init.body.includes("query Sales")) salesRequests++;
      return fetch(input, init);
    };
    const third = testClient(t, shop.shopId, { storage, token: shop.tokens.cashier, cacheVersion: "purged-again", fetch: counting });
    await third.ready;
    const results = await new Promise<{ loading: boolean; ids: (string | null)[] }[]>((resolve, reject) => {
      const seen: { loading: boolean; ids: (string | null)[] }[] = [];
      const sub = third.apollo.watchQuery({ query: SalesDocument, variables: { first: 50 }, fetchPolicy: "cache-and-network" }).subscribe({
        next: ({ data, loading }) => {
          seen.push({ loading, ids: data?.sales.items.map((s) => s.clientTempId) ?? [] });
          if (!loading) {
            sub.unsubscribe();
            resolve(seen);
          }
        },
        error: reject,
      });
    });
    expect(salesRequests).toBe(1);
    expect(results[0].ids).toEqual([...ids].reverse());
    expect(results.at(-1)?.ids.slice(0, 3)).toEqual([...ids].reverse());
    await third.dispose();
  });
});
