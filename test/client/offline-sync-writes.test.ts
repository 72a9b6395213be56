import { MemoryStorage, SalesDocument, createPosClient } from "../../client/src";
import { QUIET_CLIENT } from "./scripted-client";

const offline: typeof fetch = () => Promise.reject(new TypeError("fetch failed: network is down"));

describe("sync attempts while offline", () => {
  it("write nothing to the cache and wake no watcher for sales whose state did not change", async () => {
    const pos = createPosClient({
      uri: "http://till.invalid/graphql",
      shopId: "00000000-0000-4000-8000-000000000001",
      getToken: () => "token",
      storage: new MemoryStorage(),
      fetch: offline,
      ...QUIET_CLIENT,
    });
    await pos.ready;
    const productId = "00000000-0000-4000-8000-0000000000aa";
    for (let i = 0; i < 3; i++) await pos.recordSale({ items: [{ productId, quantity: 1, price: 2.5 }] });

    const cache = pos.apollo.cache;
    const broadcasts: string[][] = [];
    const stopWatching = cache.watch({
      query: SalesDocument,
      variables: { first: 50 },
      optimistic: true,
      immediate: true,
      callback: (diff) => broadcasts.push((diff.result as { sales?: { items: { syncState: string }[] } })?.sales?.items.map((s) => s.syncState) ?? []),
    });
    expect(broadcasts).toEqual([["pending", "pending", "pending"]]);
    broadcasts.length = 0;
    const write = jest.spyOn(cache, "write");
    const modify = jest.spyOn(cache, "modify");

    for (let attempt = 0; attempt < 5; attempt++) expect((await pos.sync()).kind).toBe("retrying");

    expect(pos.pendingSales().map((r) => [r.state, r.attempts])).toEqual([
      ["pending", 5],
      ["pending", 5],
      ["pending", 5],
    ]);
    expect(write).not.toHaveBeenCalled();
    expect(modify).not.toHaveBeenCalled();
    expect(broadcasts).toEqual([]);
    const { data } = await pos.apollo.query({ query: SalesDocument, variables: { first: 50 }, fetchPolicy: "cache-only" });
    expect(data.sales.items.map((s) => s.syncState)).toEqual(["pending", "pending", "pending"]);
    stopWatching();
    await pos.dispose();
  });
});
