import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IDBFactory } from "fake-indexeddb";
import { CredentialRefusedError, IndexedDbStorage, MemoryStorage, type PosClient, ProductsDocument, pairTill } from "../../client/src";
import { FileStorage } from "../../client/src/node";
import type { LockManagerLike } from "../../client/src/sync/locks";
import type { SeededShops } from "../../server/src/demo/seed";
import { type TestServer, startTestServer } from "../support/test-server";
import { expiredTokenLike, testClient } from "./client-harness";
import { HOUR, authClient, loggingFetch, pairedTillAnswer, pairingCode, revokeTill, serverSalesOf, testClock, tillFamilyRevoked } from "./auth-harness";

// Grace 0: a rotated refresh token presented again (a lost single flight, a stale restart)
// revokes the till's sign-in at once instead of being forgiven, so these tests would see it.
let t: TestServer;
let shop: SeededShops;
beforeAll(async () => {
  t = await startTestServer({ REFRESH_TOKEN_REUSE_GRACE: "0" });
  shop = await t.seed();
});
afterAll(async () => {
  await t.close();
});

const record = (pos: PosClient) => pos.recordSale({ items: [{ productId: shop.products[0].id, quantity: 1, price: shop.products[0].price }] });
const products = (pos: PosClient) => pos.apollo.query({ query: ProductsDocument, fetchPolicy: "network-only" });

/** Web Locks as a browser gives them: one queue per name, shared by every tab that holds the manager. */
function fakeWebLocks(): LockManagerLike {
  const tails = new Map<string, Promise<unknown>>();
  const waiting = new Map<string, number>();
  return {
    async request(name, options, callback) {
      if (options.ifAvailable && (waiting.get(name) ?? 0) > 0) return callback(null);
      waiting.set(name, (waiting.get(name) ?? 0) + 1);
      const run = (tails.get(name) ?? Promise.resolve()).then(() => callback({ name }));
      const settled = run.catch(() => undefined).finally(() => waiting.set(name, (waiting.get(name) ?? 1) - 1));
      tails.set(name, settled);
      return run;
    },
  };
}

describe("refreshing on a 401", () => {
  it("refreshes when the server refuses the access token and sends the refused request once more with the new one", async () => {
    const till = await pairedTillAnswer(t, shop);
    const net = loggingFetch();
    // The till believes its token good for 15 minutes; the server says it has expired.
    const credential = { ...till, accessToken: expiredTokenLike(t, till.accessToken) };
    const pos = authClient(t, shop.shopId, { storage: new MemoryStorage(), credential, fetch: net.fetch });
    const sale = await record(pos);
    expect(await pos.sync()).toEqual({ kind: "done", synced: 1, failed: 0 });
    expect(net.log).toEqual(["sync 401", "refresh 200", "sync 200"]);
    await products(pos);
    expect(net.log.slice(3)).toEqual(["graphql 200"]);
    expect((await serverSalesOf(t, shop.shopId)).filter((r) => r.client_temp_id === sale.clientTempId)).toMatchObject([{ n: 1 }]);
    expect(pos.status().authRequired).toBe(false);
    await pos.dispose();
  });
});

describe("a refresh that fails without a refusal", () => {
  it("is a retryable failure when the network is down, the server answers 503 or nothing comes back within requestTimeoutMs, never authRequired, with every sale kept", async () => {
    const till = await pairedTillAnswer(t, shop);
    const clock = testClock();
    const net = loggingFetch();
    const pos = authClient(t, shop.shopId, { storage: new MemoryStorage(), credential: till, fetch: net.fetch, now: clock.now, requestTimeoutMs: 300 });
    const sales = [await record(pos), await record(pos)];
    clock.advance(HOUR);
    net.down();
    expect(await pos.sync()).toMatchObject({ kind: "retrying" });
    net.up();
    net.answerRefreshes(async () => new Response(JSON.stringify({ error: "The database is unavailable", code: "UNAVAILABLE" }), { status: 503, headers: { "retry-after": "5" } }));
    expect(await pos.sync()).toMatchObject({ kind: "retrying", retryInMs: 5000 });
    net.answerRefreshes((init) => new Promise((_, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal?.reason))));
    expect(await pos.sync()).toMatchObject({ kind: "retrying", error: expect.stringContaining("300 ms") });
    expect(pos.status()).toMatchObject({ authRequired: false, pending: 2 });
    expect(pos.pendingSales().map((r) => [r.clientTempId, r.state])).toEqual(sales.map((s) => [s.clientTempId, "pending"]));
    net.answerRefreshes(null);
    expect(await pos.sync()).toEqual({ kind: "done", synced: 2, failed: 0 });
    expect(net.log).toEqual(["refresh down", "refresh 503", "refresh 200", "sync 200"]);
    await pos.dispose();
  });
});

describe("one refresh at a time", () => {
  it("refreshes once for two clients on one storage that both need a new token at the same moment", async () => {
    const till = await pairedTillAnswer(t, shop);
    const clock = testClock();
    const net = loggingFetch();
    const storage = new MemoryStorage();
    const a = authClient(t, shop.shopId, { storage, credential: till, fetch: net.fetch, now: clock.now });
    const b = authClient(t, shop.shopId, { storage, fetch: net.fetch, now: clock.now });
    await Promise.all([a.ready, b.ready]);
    await record(a);
    clock.advance(HOUR);
    const [synced] = await Promise.all([a.sync(), products(a), products(b), products(b)]);
    expect(synced).toEqual({ kind: "done", synced: 1, failed: 0 });
    expect(net.count("refresh 200")).toBe(1);
    // Both rotate on from the one stored token, and the family is intact.
    clock.advance(HOUR);
    await Promise.all([products(b), products(a)]);
    expect(net.count("refresh 200")).toBe(2);
    expect(net.log.filter((e) => e.includes("401"))).toEqual([]);
    expect(await tillFamilyRevoked(t, till.till.id)).toBe(false);
    await Promise.all([a.dispose(), b.dispose()]);
  });

  it("refreshes once for two tabs on one IndexedDB database under Web Locks, the second tab taking the token the first one stored", async () => {
    const till = await pairedTillAnswer(t, shop);
    const clock = testClock();
    const net = loggingFetch();
    const indexedDB = new IDBFactory();
    const locks = fakeWebLocks();
    const [first, second] = [await IndexedDbStorage.open("tabs", indexedDB), await IndexedDbStorage.open("tabs", indexedDB)];
    const tab1 = authClient(t, shop.shopId, { storage: first, credential: till, fetch: net.fetch, now: clock.now, locks });
    const tab2 = authClient(t, shop.shopId, { storage: second, credential: till, fetch: net.fetch, now: clock.now, locks });
    await Promise.all([tab1.ready, tab2.ready]);
    clock.advance(HOUR);
    await Promise.all([products(tab1), products(tab2), products(tab1)]);
    expect(net.count("refresh 200")).toBe(1);
    expect(await tillFamilyRevoked(t, till.till.id)).toBe(false);
    await Promise.all([tab1.dispose(), tab2.dispose()]);
    first.close();
    second.close();
  });
});

describe("authRequired", () => {
  it("is set only once the refresh token is refused (the till revoked), keeping the outbox, and a new pairing syncs it", async () => {
    const till = await pairedTillAnswer(t, shop, "To be revoked");
    const clock = testClock();
    const net = loggingFetch();
    const refusals: CredentialRefusedError[] = [];
    const storage = new MemoryStorage();
    const pos = authClient(t, shop.shopId, { storage, credential: till, fetch: net.fetch, now: clock.now, auth: { onAuthRequired: (e) => refusals.push(e) } });
    await record(pos);
    expect(await pos.sync()).toMatchObject({ kind: "done", synced: 1 });
    await revokeTill(t, shop, till.till.id);
    const kept = [await record(pos), await record(pos), await record(pos)];
    // Its access token may work a few seconds more (the server's till cache); the refresh fails at once.
    clock.advance(HOUR);
    expect(await pos.sync()).toMatchObject({ kind: "authRequired" });
    expect(net.log.slice(1)).toEqual(["refresh 401"]);
    expect(pos.status()).toMatchObject({ authRequired: true, pending: 3 });
    expect(refusals.map((e) => [e.constructor, e.status, e.code])).toEqual([[CredentialRefusedError, 401, "UNAUTHENTICATED"]]);
    // The refused token is never presented again, and a restarted till starts paused.
    expect(await pos.sync()).toMatchObject({ kind: "authRequired" });
    expect(net.log.slice(2)).toEqual([]);
    await pos.dispose();
    const restarted = authClient(t, shop.shopId, { storage, credential: till, fetch: net.fetch });
    await restarted.ready;
    expect(restarted.status()).toMatchObject({ authRequired: true, pending: 3 });
    expect(restarted.pendingSales().map((r) => r.clientTempId)).toEqual(kept.map((r) => r.clientTempId));

    const again = await pairTill(t.url, await pairingCode(t, shop, "Paired again"));
    await restarted.setCredential(again);
    for (let i = 0; i < 100 && restarted.status().pending > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(restarted.status()).toMatchObject({ authRequired: false, pending: 0, synced: 4 });
    const rows = (await serverSalesOf(t, shop.shopId)).filter((r) => kept.some((k) => k.clientTempId === r.client_temp_id));
    expect(rows.map((r) => [r.n, r.till_id])).toEqual(kept.map(() => [1, again.till.id]));
    expect(net.count("refresh 401")).toBe(1);
    await restarted.dispose();
  });

  it("is set at start, without a request, for a client that holds no credential", async () => {
    const net = loggingFetch();
    const refusals: string[] = [];
    const pos = authClient(t, shop.shopId, { storage: new MemoryStorage(), fetch: net.fetch, auth: { onAuthRequired: (e) => refusals.push(e.code) } });
    await pos.ready;
    expect(pos.status().authRequired).toBe(true);
    await record(pos);
    expect(await pos.sync()).toMatchObject({ kind: "authRequired" });
    expect(net.log).toEqual([]);
    expect(refusals).toEqual(["NO_CREDENTIAL"]);
    await pos.dispose();
  });
});

describe("a restart", () => {
  it("keeps the rotated refresh token on disk, and passing the first credential again does not bring the old token back", async () => {
    const dir = await mkdtemp(join(tmpdir(), "till-auth-"));
    const till = await pairedTillAnswer(t, shop);
    const clock = testClock();
    const net = loggingFetch();
    const first = authClient(t, shop.shopId, { storage: await FileStorage.open(dir), credential: till, fetch: net.fetch, now: clock.now });
    await first.ready;
    clock.advance(HOUR);
    await products(first);
    const waiting = await record(first);
    await first.dispose();

    // The app passes the pairing answer it kept, as on the first start: already taken in, ignored.
    const second = authClient(t, shop.shopId, { storage: await FileStorage.open(dir), credential: till, fetch: net.fetch, now: clock.now });
    expect(await second.sync()).toEqual({ kind: "done", synced: 1, failed: 0 });
    clock.advance(HOUR);
    await products(second);
    await second.dispose();
    const third = authClient(t, shop.shopId, { storage: await FileStorage.open(dir), fetch: net.fetch, now: clock.now });
    clock.advance(HOUR);
    await products(third);
    expect(net.log).toEqual(["refresh 200", "graphql 200", "sync 200", "refresh 200", "graphql 200", "refresh 200", "graphql 200"]);
    expect(await tillFamilyRevoked(t, till.till.id)).toBe(false);
    expect((await serverSalesOf(t, shop.shopId)).filter((r) => r.client_temp_id === waiting.clientTempId)).toMatchObject([{ n: 1 }]);
    await third.dispose();
    await rm(dir, { recursive: true, force: true });
  });
});

describe("signOut", () => {
  it("ends the sign-in on the server and forgets it here, keeping the outbox", async () => {
    const till = await pairedTillAnswer(t, shop);
    const storage = new MemoryStorage();
    const pos = authClient(t, shop.shopId, { storage, credential: till });
    const kept = await record(pos);
    await pos.signOut();
    expect(pos.status()).toMatchObject({ authRequired: true, pending: 1 });
    expect(await tillFamilyRevoked(t, till.till.id)).toBe(true);
    expect(storage.keys().some((k) => k.endsWith(":auth"))).toBe(false);
    expect(pos.pendingSales().map((r) => r.clientTempId)).toEqual([kept.clientTempId]);
    await pos.dispose();
  });
});

describe("the options", () => {
  it("keeps a plain getToken working, and refuses getToken and auth together", async () => {
    const pos = testClient(t, shop.shopId, { storage: new MemoryStorage(), token: shop.tokens.cashier });
    await record(pos);
    expect(await pos.sync()).toEqual({ kind: "done", synced: 1, failed: 0 });
    await expect(pos.setCredential({ refreshToken: "x" })).rejects.toThrow("without the auth option");
    await pos.dispose();
    expect(() => authClient(t, shop.shopId, { storage: new MemoryStorage(), getToken: () => "t" })).toThrow(TypeError);
  });
});
