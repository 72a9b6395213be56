import { checkInvariants } from "../../server/src/invariants/check";
import { countRows } from "../support/database";
import { lockProduct, terminateBackend } from "../support/locks";
import { saleOf } from "../support/sales";
import { databaseEnv, seedThroughCli, spawnServer } from "../support/server-process";
import { type TestServer, startTestServer } from "../support/test-server";
import { authHeaders, rest } from "../support/transports";

/**
 * A lock held by the test stops a sync mid-transaction at a known point, so the failure lands
 * exactly there. Backends and locks are PostgreSQL-server features: this runs when
 * TEST_DATABASE_URL names a real one (.ci/run always does).
 */
const databaseUrl = process.env.TEST_DATABASE_URL ?? "";
const onRealPostgres = databaseUrl ? describe : describe.skip;

onRealPostgres("database connection dropped mid-transaction", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it("fails the request cleanly with 503, writes nothing, and keeps serving after reconnecting", async () => {
    const shop = await t.seed();
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    const batch = Array.from({ length: 100 }, () => saleOf(shop));
    const lock = await lockProduct(databaseUrl, shop.shopId, shop.products[0].id);
    const inFlight = rest.sync(t.url, headers, batch);
    await terminateBackend(databaseUrl, await lock.waitForBlockedBackend());
    await lock.release();
    const answer = await inFlight;
    expect(answer.httpStatus).toBe(503);
    expect(answer.failure).toEqual({ message: expect.stringContaining("nothing of this batch was recorded"), code: "UNAVAILABLE" });
    expect(await countRows(t.dataSource, "sales", shop.shopId)).toBe(0);
    expect(await checkInvariants(t.dataSource, { shopId: shop.shopId })).toEqual([]);

    const retried = await rest.sync(t.url, headers, batch);
    expect(retried.httpStatus).toBe(200);
    expect(retried.synced.filter((s) => s.status === "created")).toHaveLength(100);
    expect(await checkInvariants(t.dataSource, { shopId: shop.shopId })).toEqual([]);
  });
});

onRealPostgres("SIGTERM", () => {
  it("stops taking new requests, finishes the in-flight sync, closes the pool and exits 0", async () => {
    const db = databaseEnv();
    const shop = await seedThroughCli(db);
    const server = await spawnServer(db);
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    const batch = Array.from({ length: 200 }, () => saleOf(shop));
    const lock = await lockProduct(databaseUrl, shop.shopId, shop.products[0].id);
    const inFlight = rest.sync(server.url, headers, batch);
    await lock.waitForBlockedBackend();
    server.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 200));
    const refused = await fetch(`${server.url}/healthz`).then(
      (res) => res.status,
      (error: Error) => error.message,
    );
    expect(refused).toBe("fetch failed");
    await lock.release();
    const answer = await inFlight;
    expect(answer.httpStatus).toBe(200);
    expect(answer.synced.filter((s) => s.status === "created")).toHaveLength(200);
    const code = await server.exited;
    expect(server.output()).toContain('"msg":"stopped"');
    expect(code).toBe(0);
  });
});

describe("SIGTERM on either database", () => {
  it("closes the database cleanly so a restart finds every synced sale", async () => {
    const db = databaseEnv();
    const shop = await seedThroughCli(db);
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    const first = await spawnServer(db);
    const synced = await rest.sync(first.url, headers, Array.from({ length: 50 }, () => saleOf(shop)));
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    const second = await spawnServer(db);
    try {
      const res = await fetch(`${second.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ query: "{ sales(first: 200) { items { id } } }" }),
      });
      const body = (await res.json()) as { data: { sales: { items: { id: string }[] } } };
      expect(body.data.sales.items.map((s) => s.id).sort()).toEqual(synced.synced.map((s) => s.serverId).sort());
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
    }
  });
});
