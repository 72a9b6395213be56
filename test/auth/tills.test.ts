import type { SeededShops } from "../../server/src/demo/seed";
import { countRows } from "../support/database";
import { saleOf } from "../support/sales";
import { type TestServer, startTestServer } from "../support/test-server";
import { TRANSPORTS, authHeaders, gql } from "../support/transports";
import { CREATE_PAIRING, createPairing, pair, pairedTill, refresh, sleep } from "./auth-support";

let t: TestServer;
let shop: SeededShops;
beforeAll(async () => {
  t = await startTestServer();
  shop = await t.seed();
});
afterAll(async () => {
  await t.close();
});

const TILLS = "{ tills { id code name pairedAt lastSeenAt revokedAt } }";
const REVOKE = "mutation($id: ID!) { revokeTill(id: $id) { id revokedAt } }";
const owner = () => authHeaders(shop.tokens.owner, shop.shopId);

describe("createTillPairing", () => {
  it("gives an 8-character code from an unambiguous alphabet, valid 10 minutes, and a till with the shop's next code", async () => {
    const fresh = await t.seed();
    const before = Date.now();
    const first = await createPairing(t, fresh, "Front counter");
    const second = await createPairing(t, fresh, "Back bar");
    expect(first.code).toMatch(/^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}$/);
    expect(Date.parse(first.expiresAt) - before).toBeGreaterThan(9.9 * 60_000);
    expect(Date.parse(first.expiresAt) - before).toBeLessThanOrEqual(10 * 60_000 + 1000);
    expect([first.till, second.till]).toEqual([
      { id: expect.any(String), code: "T01", name: "Front counter", pairedAt: null },
      { id: expect.any(String), code: "T02", name: "Back bar", pairedAt: null },
    ]);
    const stored: { code_hash: string }[] = await t.dataSource.query(`SELECT code_hash FROM till_pairings WHERE shop_id = $1`, [fresh.shopId]);
    expect(stored.map((r) => r.code_hash).join()).not.toContain(first.code);
  });

  it("allocates distinct codes to tills created at the same time", async () => {
    const fresh = await t.seed();
    const pairings = await Promise.all(Array.from({ length: 6 }, (_, i) => createPairing(t, fresh, `Till ${i}`)));
    expect(pairings.map((p) => p.till.code).sort()).toEqual(["T01", "T02", "T03", "T04", "T05", "T06"]);
  });

  it("is refused to a cashier and to a till (tills:manage is the owner's and the manager's)", async () => {
    const cashier = await gql(t.url, authHeaders(shop.tokens.cashier, shop.shopId), CREATE_PAIRING, { name: "x" });
    expect(cashier.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    const till = await pairedTill(t, shop);
    const byTill = await gql(t.url, till.headers, CREATE_PAIRING, { name: "x" });
    expect(byTill.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    expect((await gql(t.url, till.headers, TILLS)).errors?.[0].extensions?.code).toBe("FORBIDDEN");
  });
});

describe("POST /api/tills/pair", () => {
  it("trades a valid code (any case, with a dash) for the till's identity and its own token pair", async () => {
    const pairing = await createPairing(t, shop, "Window");
    const typed = `${pairing.code.slice(0, 4).toLowerCase()}-${pairing.code.slice(4)}`;
    const answer = await pair(t, typed);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      till: { id: pairing.till.id, code: pairing.till.code, name: "Window", shopId: shop.shopId, shopName: expect.any(String) },
      accessToken: expect.any(String),
      refreshToken: expect.stringMatching(/^[\w-]{43}$/),
      expiresIn: 900,
    });
    const me = await gql<{ me: unknown }>(t.url, authHeaders(answer.body.accessToken, shop.shopId), "{ me { user { id } till { id code } memberships { shopId } role } }");
    expect(me.data?.me).toEqual({ user: null, till: { id: pairing.till.id, code: pairing.till.code }, memberships: [], role: "TILL" });
    const refreshed = await refresh(t, answer.body.refreshToken);
    expect(refreshed.status).toBe(200);
    expect((await gql(t.url, authHeaders(refreshed.body.accessToken, shop.shopId), "{ products { id } }")).errors).toBeUndefined();
  });

  it("refuses a code that was already used, with the same answer as an unknown one", async () => {
    const pairing = await createPairing(t, shop);
    expect((await pair(t, pairing.code)).status).toBe(200);
    const reused = await pair(t, pairing.code);
    const unknown = await pair(t, "ZZZZZZZZ");
    const malformed = await pair(t, "0O1I");
    for (const answer of [reused, unknown, malformed]) {
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ error: "Invalid or expired pairing code", code: "UNAUTHENTICATED" });
    }
  });

  it("lets only one of two devices racing with the same code pair", async () => {
    const pairing = await createPairing(t, shop);
    const answers = await Promise.all([pair(t, pairing.code), pair(t, pairing.code)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401]);
  });

  it("refuses an expired code", async () => {
    const pairing = await createPairing(t, shop);
    await t.dataSource.query(`UPDATE till_pairings SET expires_at = now() - interval '1 second' WHERE till_id = $1`, [pairing.till.id]);
    expect((await pair(t, pairing.code)).status).toBe(401);
  });

  it("refuses the code of a till revoked before it was paired", async () => {
    const pairing = await createPairing(t, shop);
    await gql(t.url, owner(), REVOKE, { id: pairing.till.id });
    expect((await pair(t, pairing.code)).status).toBe(401);
  });

  it("needs no bearer token, and answers 400 for a body without a code", async () => {
    expect((await pair(t, "")).status).toBe(400);
  });
});

describe("brute force on pairing codes", () => {
  it("answers 429 with Retry-After once one address has failed PAIR_RATE_LIMIT_PER_IP times, even with a valid code", async () => {
    const limited = await startTestServer({ PAIR_RATE_LIMIT_PER_IP: "5" });
    try {
      const s = await limited.seed();
      const pairing = await createPairing(limited, s);
      for (let i = 0; i < 5; i++) expect((await pair(limited, `GUESS${i}AB`.slice(0, 8))).status).toBe(401);
      const blocked = await pair(limited, pairing.code);
      expect(blocked.status).toBe(429);
      expect(blocked.body).toMatchObject({ code: "RATE_LIMITED" });
      expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
      const stillUnused: { n: number }[] = await limited.dataSource.query(`SELECT count(*)::int AS n FROM till_pairings WHERE till_id = $1 AND used_at IS NULL`, [
        pairing.till.id,
      ]);
      expect(stillUnused[0].n).toBe(1);
    } finally {
      await limited.close();
    }
  });
});

describe.each(TRANSPORTS)("a paired till's credential over $name", (transport) => {
  it("records sales with the till's id, shown as Sale.till", async () => {
    const till = await pairedTill(t, shop, `Sync over ${transport.name}`);
    const sale = saleOf(shop);
    const answer = await transport.sync(t.url, till.headers, [sale]);
    expect(answer.synced).toEqual([expect.objectContaining({ status: "created", warnings: [] })]);
    const rows: { till_id: string | null }[] = await t.dataSource.query(`SELECT till_id::text FROM sales WHERE shop_id = $1 AND client_temp_id = $2`, [
      shop.shopId,
      sale.clientTempId,
    ]);
    expect(rows).toEqual([{ till_id: till.till.id }]);
    const shown = await gql<{ sale: { till: { id: string; code: string; name: string } } }>(t.url, owner(), "query($id: ID!) { sale(id: $id) { till { id code name } } }", {
      id: answer.synced[0].serverId,
    });
    expect(shown.data?.sale.till).toEqual({ id: till.till.id, code: till.till.code, name: `Sync over ${transport.name}` });
  });

  it("is refused for another shop, like a user who is not a member", async () => {
    const till = await pairedTill(t, shop);
    const answer = await transport.sync(t.url, authHeaders(till.accessToken, shop.otherShop.shopId), [saleOf(shop)]);
    expect(answer.httpStatus).toBe(403);
  });

  it("stops working within 5 seconds of revokeTill; its refresh fails at once; its sales are kept", async () => {
    const till = await pairedTill(t, shop);
    expect((await transport.sync(t.url, till.headers, [saleOf(shop)])).httpStatus).toBe(200);
    const revoked = await gql<{ revokeTill: { id: string; revokedAt: string } }>(t.url, owner(), REVOKE, { id: till.till.id });
    expect(revoked.data?.revokeTill).toEqual({ id: till.till.id, revokedAt: expect.any(String) });
    const revokedAt = Date.now();
    expect((await refresh(t, till.refreshToken)).status).toBe(401);
    let answer = await transport.sync(t.url, till.headers, [saleOf(shop)]);
    while (answer.httpStatus === 200 && Date.now() - revokedAt < 6000) {
      await sleep(250);
      answer = await transport.sync(t.url, till.headers, [saleOf(shop)]);
    }
    expect(Date.now() - revokedAt).toBeLessThanOrEqual(5500);
    expect(answer.httpStatus).toBe(401);
    expect(answer.failure?.code).toBe("UNAUTHENTICATED");
    expect(await countRows(t.dataSource, "sales", shop.shopId, "till_id = $2", [till.till.id])).toBeGreaterThanOrEqual(1);
  }, 20_000);
});

describe("a till's permissions (role till)", () => {
  it("reads the catalogue, customers, sales and notifications, and changes nothing else", async () => {
    const till = await pairedTill(t, shop);
    for (const query of ["{ products { id } }", "{ customers { id } }", "{ sales { items { id } } }", "{ notifications { id } }", "{ staff { id } }"]) {
      expect({ query, errors: (await gql(t.url, till.headers, query)).errors }).toEqual({ query, errors: undefined });
    }
    for (const query of [
      'mutation { createProduct(input: {name: "X", sku: "TILL-X", price: 1}) { id } }',
      'mutation { createCustomer(input: {name: "Bo"}) { id } }',
      `mutation { adjustInventory(productId: "${shop.products[0].id}", delta: 1, reason: "count") { id } }`,
    ]) {
      expect({ query, code: (await gql(t.url, till.headers, query)).errors?.[0].extensions?.code }).toEqual({ query, code: "FORBIDDEN" });
    }
  });
});

describe("the tills query", () => {
  it("lists the shop's tills with when each was paired, last seen (at most once a minute) and revoked", async () => {
    const fresh = await t.seed();
    const till = await pairedTill(t, fresh, "Counter");
    const unpaired = await createPairing(t, fresh, "Spare");
    await gql(t.url, till.headers, "{ products { id } }");
    await sleep(100); // lastSeenAt is written without making the request wait
    const seen: { last_seen_at: Date }[] = await t.dataSource.query(`SELECT last_seen_at FROM tills WHERE id = $1`, [till.till.id]);
    await gql(t.url, till.headers, "{ products { id } }");
    await sleep(100);
    const again: { last_seen_at: Date }[] = await t.dataSource.query(`SELECT last_seen_at FROM tills WHERE id = $1`, [till.till.id]);
    expect(again[0].last_seen_at).toEqual(seen[0].last_seen_at);
    const res = await gql<{ tills: unknown[] }>(t.url, authHeaders(fresh.tokens.owner, fresh.shopId), TILLS);
    expect(res.data?.tills).toEqual([
      { id: till.till.id, code: "T01", name: "Counter", pairedAt: expect.any(String), lastSeenAt: expect.any(String), revokedAt: null },
      { id: unpaired.till.id, code: "T02", name: "Spare", pairedAt: null, lastSeenAt: null, revokedAt: null },
    ]);
  });

  it("answers NOT_FOUND for revoking a till of another shop", async () => {
    const other = await t.seed();
    const pairing = await createPairing(t, other);
    const res = await gql(t.url, owner(), REVOKE, { id: pairing.till.id });
    expect(res.errors?.[0].extensions?.code).toBe("NOT_FOUND");
  });
});
