import jwt from "jsonwebtoken";
import { issueToken } from "../../server/src/auth/tokens";
import { countRows } from "../support/database";
import { saleOf } from "../support/sales";
import { type TestServer, startTestServer } from "../support/test-server";
import { TRANSPORTS, authHeaders } from "../support/transports";

describe.each(TRANSPORTS)("rate limits on the sync endpoint over $name", (transport) => {
  let t: TestServer;
  afterEach(async () => {
    await t.close();
  });

  it("answers 429 with Retry-After once a token exceeds its limit, writes nothing, and leaves other tokens alone", async () => {
    t = await startTestServer({ RATE_LIMIT_PER_TOKEN: "3", RATE_LIMIT_PER_IP: "0", RATE_LIMIT_WINDOW_MS: "60000" });
    const shop = await t.seed();
    const cashier = authHeaders(shop.tokens.cashier, shop.shopId);
    for (let i = 0; i < 3; i++) expect((await transport.sync(t.url, cashier, [saleOf(shop)])).httpStatus).toBe(200);
    const before = await countRows(t.dataSource, "sales", shop.shopId);
    const path = transport.name === "rest" ? "/api/pos/sync" : "/graphql";
    const limited = await fetch(`${t.url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...cashier }, body: "{}" });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = JSON.stringify(await limited.json());
    expect(body).toContain("RATE_LIMITED");
    expect((await transport.sync(t.url, cashier, [saleOf(shop)])).httpStatus).toBe(429);
    expect(await countRows(t.dataSource, "sales", shop.shopId)).toBe(before);
    const owner = await transport.sync(t.url, authHeaders(shop.tokens.owner, shop.shopId), [saleOf(shop)]);
    expect(owner.httpStatus).toBe(200);
  });

  it("counts every spelling of the bearer header and every token of the same user against one limit (issue 14 #6)", async () => {
    t = await startTestServer({ RATE_LIMIT_PER_TOKEN: "3", RATE_LIMIT_PER_IP: "0", RATE_LIMIT_WINDOW_MS: "60000" });
    const shop = await t.seed();
    const token = shop.tokens.cashier;
    const cashier = authHeaders(token, shop.shopId);
    for (let i = 0; i < 3; i++) expect((await transport.sync(t.url, cashier, [saleOf(shop)])).httpStatus).toBe(200);
    expect((await transport.sync(t.url, cashier, [saleOf(shop)])).httpStatus).toBe(429);
    const before = await countRows(t.dataSource, "sales", shop.shopId);
    const sameUser = issueToken(t.config.jwtSecret, (jwt.decode(token) as { sub: string }).sub, "2h");
    const spellings = [`bearer ${token}`, `BEARER ${token}`, `Bearer   ${token}`, `Bearer\t${token}`, `bEaReR ${token} \t `, `Bearer ${sameUser}`];
    for (const authorization of spellings) {
      const answer = await transport.sync(t.url, { authorization, "x-shop-id": shop.shopId.toUpperCase() }, [saleOf(shop)]);
      expect([JSON.stringify(authorization), answer.httpStatus]).toEqual([JSON.stringify(authorization), 429]);
    }
    expect(await countRows(t.dataSource, "sales", shop.shopId)).toBe(before);
  });

  it("answers 429 once one address exceeds its limit, whatever tokens it uses", async () => {
    t = await startTestServer({ RATE_LIMIT_PER_TOKEN: "0", RATE_LIMIT_PER_IP: "4", RATE_LIMIT_WINDOW_MS: "60000" });
    const shop = await t.seed();
    const tokens = [shop.tokens.cashier, shop.tokens.owner, shop.tokens.cashier, shop.tokens.owner];
    for (const token of tokens) expect((await transport.sync(t.url, authHeaders(token, shop.shopId), [saleOf(shop)])).httpStatus).toBe(200);
    const limited = await transport.sync(t.url, authHeaders("garbage", shop.shopId), [saleOf(shop)]);
    expect(limited.httpStatus).toBe(429);
  });
});
