import { holdRequest } from "../support/raw-http";
import { saleOf } from "../support/sales";
import { type TestServer, startTestServer } from "../support/test-server";
import { SYNC_MUTATION, authHeaders, rest } from "../support/transports";

/**
 * Load shedding at the HTTP edge: with SYNC_MAX_QUEUED_SALES=1, a REST sync whose body is still
 * arriving fills the queue; every other sync is then refused at once with 429 OVERLOADED and a
 * Retry-After, in each transport's shape, while reads go on; /metrics counts it all.
 */
describe("a server whose sync queue is full", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ SYNC_MAX_QUEUED_SALES: "1", SYNC_RETRY_AFTER_MAX_SECONDS: "7" });
  });
  afterAll(async () => {
    await t.close();
  });

  const metric = async (name: string) => {
    const text = await (await fetch(`${t.url}/metrics`)).text();
    return text.split("\n").filter((l) => l.startsWith(name)).reduce((n, l) => n + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
  };

  async function whileHeld(work: (headers: Record<string, string>) => Promise<void>) {
    const shop = await t.seed();
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    const held = await holdRequest(t.url, { method: "POST", path: "/api/pos/sync", headers, body: { sales: [saleOf(shop)] } });
    for (let i = 0; i < 100 && (await metric("possync_sync_queued_requests")) < 1; i++) await new Promise((r) => setTimeout(r, 20));
    try {
      await work(headers);
    } finally {
      const answers = await held.finishThen({ method: "GET", path: "/healthz", headers: { connection: "close" } });
      expect(answers[0].status).toBe(200);
    }
    expect(await rest.sync(t.url, headers, [saleOf(shop)])).toMatchObject({ httpStatus: 200, errors: [] });
    return shop;
  }

  it("answers a REST sync 429 OVERLOADED with a Retry-After from its queue, having read nothing", async () => {
    await whileHeld(async (headers) => {
      const res = await fetch(`${t.url}/api/pos/sync`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: "not even json" });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(Number(res.headers.get("retry-after"))).toBeLessThanOrEqual(7);
      expect(await res.json()).toEqual({ error: expect.stringContaining("busy"), code: "OVERLOADED" });
    });
  });

  it("answers a GraphQL sync as the rate limiter does on /graphql, and still answers queries", async () => {
    await whileHeld(async (headers) => {
      const h = { "content-type": "application/json", ...headers };
      const res = await fetch(`${t.url}/graphql`, { method: "POST", headers: h, body: JSON.stringify({ query: SYNC_MUTATION, variables: { sales: [] } }) });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(await res.json()).toEqual({ errors: [{ message: expect.stringContaining("busy"), extensions: { code: "OVERLOADED" } }] });
      const query = await fetch(`${t.url}/graphql`, { method: "POST", headers: h, body: JSON.stringify({ query: "{ products { id } }" }) });
      expect(query.status).toBe(200);
    });
  });

  it("counts the sheds and the queue in /metrics", async () => {
    const before = await metric("possync_sync_shed_total");
    await whileHeld(async (headers) => {
      expect(await metric("possync_sync_queued_sales")).toBe(1);
      expect((await rest.sync(t.url, headers, [])).httpStatus).toBe(429);
    });
    expect(await metric("possync_sync_shed_total")).toBe(before + 1);
    expect(await metric("possync_sync_queued_requests")).toBe(0);
  });
});
