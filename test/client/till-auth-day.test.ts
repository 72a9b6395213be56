import { MemoryStorage, type PosClient } from "../../client/src";
import type { SeededShops } from "../../server/src/demo/seed";
import { type TestServer, startTestServer } from "../support/test-server";
import { HOUR, authClient, loggingFetch, pairedTillAnswer, serverSalesOf, testClock, tillFamilyRevoked } from "./auth-harness";

/**
 * A till's day on its own credential. The till's clock is the test's (`now`), so a day passes in
 * seconds: the client judges its access token's expiry by it, as it would over a real day. The
 * reuse grace is 0, so any rotated refresh token presented again would revoke the till's sign-in.
 */
let t: TestServer;
let shop: SeededShops;
beforeAll(async () => {
  t = await startTestServer({ REFRESH_TOKEN_REUSE_GRACE: "0" });
  shop = await t.seed();
});
afterAll(async () => {
  await t.close();
});

const SALES = 200;
const STEP = (24 * HOUR) / SALES;

async function recordOne(pos: PosClient) {
  const product = shop.products[0];
  return (await pos.recordSale({ items: [{ productId: product.id, quantity: 1, price: product.price }] })).clientTempId;
}

function watchAuthRequired(pos: PosClient): boolean[] {
  const seen: boolean[] = [];
  pos.subscribe((s) => seen.push(s.authRequired));
  return seen;
}

describe("a till on its own credential for a day", () => {
  it("refreshes by itself across a day offline with 200 queued sales, then syncs every one of them exactly once", async () => {
    const till = await pairedTillAnswer(t, shop, "Offline all day");
    const clock = testClock();
    const net = loggingFetch();
    const pos = authClient(t, shop.shopId, { storage: new MemoryStorage(), credential: till, fetch: net.fetch, now: clock.now, batchSize: 100 });
    const authRequired = watchAuthRequired(pos);
    await pos.ready;
    net.down();
    const ids: string[] = [];
    for (let i = 0; i < SALES; i++) {
      ids.push(await recordOne(pos));
      clock.advance(STEP);
      // The hourly automatic attempt: the token has expired by the till's clock, the refresh
      // cannot reach the server, and that is a network failure like any other.
      if (i % 8 === 7) expect((await pos.sync()).kind).toBe("retrying");
    }
    expect(net.count("refresh down")).toBe(25);
    expect(net.count("sync down")).toBe(0);
    expect(authRequired.every((a) => !a)).toBe(true);
    expect(pos.pendingSales().map((r) => [r.clientTempId, r.state])).toEqual(ids.map((id) => [id, "pending"]));

    net.up();
    expect(await pos.sync()).toEqual({ kind: "done", synced: SALES, failed: 0 });
    expect(net.log.filter((e) => !e.endsWith("down"))).toEqual(["refresh 200", "sync 200", "sync 200"]);
    const rows = await serverSalesOf(t, shop.shopId);
    const mine = rows.filter((r) => ids.includes(r.client_temp_id));
    expect(mine).toHaveLength(SALES);
    expect(mine.every((r) => r.n === 1 && r.till_id === till.till.id)).toBe(true);
    expect(pos.outboxRecords().every((r) => r.state === "synced")).toBe(true);
    expect(authRequired.every((a) => !a)).toBe(true);
    expect(await tillFamilyRevoked(t, till.till.id)).toBe(false);
    await pos.dispose();
  });

  it("refreshes every 14 minutes through a day online, rotating the refresh token 99 times, with each sale synced once", async () => {
    const till = await pairedTillAnswer(t, shop, "Online all day");
    const clock = testClock();
    const net = loggingFetch();
    const pos = authClient(t, shop.shopId, { storage: new MemoryStorage(), credential: till, fetch: net.fetch, now: clock.now });
    const authRequired = watchAuthRequired(pos);
    await pos.ready;
    const ids: string[] = [];
    for (let i = 0; i < SALES; i++) {
      ids.push(await recordOne(pos));
      expect(await pos.sync()).toEqual({ kind: "done", synced: 1, failed: 0 });
      clock.advance(STEP);
    }
    // 15-minute tokens refreshed 60 s before they expire, one sale every 7.2 minutes.
    expect(net.count("refresh 200")).toBe(99);
    expect(net.count("sync 200")).toBe(SALES);
    expect(net.log.filter((e) => !["refresh 200", "sync 200"].includes(e))).toEqual([]);
    const mine = (await serverSalesOf(t, shop.shopId)).filter((r) => ids.includes(r.client_temp_id));
    expect(mine).toHaveLength(SALES);
    expect(mine.every((r) => r.n === 1)).toBe(true);
    expect(authRequired.every((a) => !a)).toBe(true);
    expect(await tillFamilyRevoked(t, till.till.id)).toBe(false);
    await pos.dispose();
  });
});
