import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import jwt from "jsonwebtoken";
import { countRows } from "../support/database";
import { saleOf } from "../support/sales";
import { type TestServer, startTestServer } from "../support/test-server";
import { TRANSPORTS, authHeaders, gql } from "../support/transports";
import type { SeededShops } from "../../server/src/demo/seed";
import { permissionsOf } from "../../server/src/auth/permissions";

let t: TestServer;
let shop: SeededShops;
/** Access tokens of paired tills (issue 15): one revoked after pairing, one of the other shop. */
const tillTokens = { revoked: "", otherShop: "" };
beforeAll(async () => {
  t = await startTestServer();
  shop = await t.seed();
  const pairTill = async (shopId: string) => {
    const owner = { shopId, userId: null, tillId: null, role: "owner" as const, permissions: permissionsOf("owner") };
    const pairing = await t.server.services.tills.createPairing(owner, "Matrix till");
    return { owner, till: pairing.till, paired: await t.server.services.tills.pair(pairing.code) };
  };
  const revoked = await pairTill(shop.shopId);
  await t.server.services.tills.revoke(revoked.owner, revoked.till.id);
  tillTokens.revoked = revoked.paired.accessToken;
  tillTokens.otherShop = (await pairTill(shop.otherShop.shopId)).paired.accessToken;
});
afterAll(async () => {
  await t.close();
});

function userIdOf(token: string): string {
  return (jwt.decode(token) as { sub: string }).sub;
}

type AuthCase = { label: string; headers: () => Record<string, string>; status: number; code: string };

const CASES: AuthCase[] = [
  { label: "no token", headers: () => ({ "x-shop-id": shop.shopId }), status: 401, code: "UNAUTHENTICATED" },
  { label: "a malformed token", headers: () => authHeaders("not-a-jwt", shop.shopId), status: 401, code: "UNAUTHENTICATED" },
  { label: "a non-bearer scheme", headers: () => ({ authorization: `Basic ${shop.tokens.cashier}`, "x-shop-id": shop.shopId }), status: 401, code: "UNAUTHENTICATED" },
  {
    label: "a token with the wrong signature",
    headers: () => authHeaders(jwt.sign({}, "another-secret-of-enough-length", { subject: userIdOf(shop.tokens.cashier), expiresIn: "1h" }), shop.shopId),
    status: 401,
    code: "UNAUTHENTICATED",
  },
  {
    label: "an expired token",
    headers: () => authHeaders(jwt.sign({ exp: Math.floor(Date.now() / 1000) - 60 }, t.config.jwtSecret, { subject: userIdOf(shop.tokens.cashier) }), shop.shopId),
    status: 401,
    code: "UNAUTHENTICATED",
  },
  {
    label: "a correctly signed token without exp (issue 14 #7)",
    headers: () => authHeaders(jwt.sign({}, t.config.jwtSecret, { subject: userIdOf(shop.tokens.cashier) }), shop.shopId),
    status: 401,
    code: "UNAUTHENTICATED",
  },
  {
    label: "a correctly signed token living longer than JWT_MAX_TTL_SECONDS (issue 14 #7)",
    headers: () =>
      authHeaders(
        jwt.sign({}, t.config.jwtSecret, { subject: userIdOf(shop.tokens.cashier), expiresIn: t.config.jwtMaxTtlSeconds + 60 }),
        shop.shopId,
      ),
    status: 401,
    code: "UNAUTHENTICATED",
  },
  {
    label: "a correctly signed token issued in the future (issue 14 #7)",
    headers: () => {
      const iat = Math.floor(Date.now() / 1000) + 3600;
      return authHeaders(jwt.sign({ iat, exp: iat + 60 }, t.config.jwtSecret, { subject: userIdOf(shop.tokens.cashier) }), shop.shopId);
    },
    status: 401,
    code: "UNAUTHENTICATED",
  },
  {
    label: "a correctly signed token with exp but no iat (issue 14 #7)",
    headers: () => authHeaders(jwt.sign({ exp: Math.floor(Date.now() / 1000) + 60 }, t.config.jwtSecret, { subject: userIdOf(shop.tokens.cashier), noTimestamp: true }), shop.shopId),
    status: 401,
    code: "UNAUTHENTICATED",
  },
  {
    label: "an alg:none token",
    headers: () => {
      const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
      return authHeaders(`${encode({ alg: "none", typ: "JWT" })}.${encode({ sub: userIdOf(shop.tokens.cashier), exp: 9999999999 })}.`, shop.shopId);
    },
    status: 401,
    code: "UNAUTHENTICATED",
  },
  { label: "a missing x-shop-id header", headers: () => authHeaders(shop.tokens.cashier, undefined), status: 400, code: "BAD_REQUEST" },
  { label: "an x-shop-id that is not a UUID", headers: () => authHeaders(shop.tokens.cashier, "shop-1"), status: 400, code: "BAD_REQUEST" },
  { label: "a user without membership in the shop", headers: () => authHeaders(shop.otherShop.tokens.cashier, shop.shopId), status: 403, code: "FORBIDDEN" },
  { label: "a revoked till's token", headers: () => authHeaders(tillTokens.revoked, shop.shopId), status: 401, code: "UNAUTHENTICATED" },
  { label: "another shop's till", headers: () => authHeaders(tillTokens.otherShop, shop.shopId), status: 403, code: "FORBIDDEN" },
  { label: "a member without sales:create (viewer)", headers: () => authHeaders(shop.tokens.viewer, shop.shopId), status: 403, code: "FORBIDDEN" },
];

describe.each(TRANSPORTS)("auth on syncOfflineSales over $name", (transport) => {
  it.each(CASES)("answers $status $code for $label and writes nothing", async ({ headers, status, code }) => {
    const before = await countRows(t.dataSource, "sales", shop.shopId);
    const answer = await transport.sync(t.url, headers(), [saleOf(shop)]);
    expect(answer.httpStatus).toBe(status);
    expect(answer.failure?.code).toBe(code);
    expect(answer.synced).toEqual([]);
    expect(await countRows(t.dataSource, "sales", shop.shopId)).toBe(before);
  });

  it("answers the same 403 for a shop that does not exist as for one the user is not in", async () => {
    const missing = await transport.sync(t.url, authHeaders(shop.tokens.cashier, "00000000-0000-4000-8000-000000000000"), [saleOf(shop)]);
    const foreign = await transport.sync(t.url, authHeaders(shop.tokens.cashier, shop.otherShop.shopId), [saleOf(shop)]);
    expect(missing.httpStatus).toBe(403);
    expect(foreign.httpStatus).toBe(403);
    expect(missing.failure?.message).toBe(foreign.failure?.message);
  });
});

describe("auth on the other GraphQL operations", () => {
  const OPERATIONS: { name: string; query: string; variables?: () => Record<string, unknown>; viewerAllowed: boolean }[] = [
    { name: "products", query: "{ products { id } }", viewerAllowed: true },
    { name: "customers", query: "{ customers { id } }", viewerAllowed: true },
    { name: "sales", query: "{ sales { items { id } } }", viewerAllowed: true },
    { name: "notifications", query: "{ notifications { id } }", viewerAllowed: true },
    {
      name: "adjustInventory",
      query: "mutation($p: ID!) { adjustInventory(productId: $p, delta: 1, reason: \"count\") { id } }",
      variables: () => ({ p: shop.products[0].id }),
      viewerAllowed: false,
    },
    { name: "createProduct", query: 'mutation { createProduct(input: {name: "X", sku: "X-1", price: 1}) { id } }', viewerAllowed: false },
    { name: "createCustomer", query: 'mutation { createCustomer(input: {name: "Bo"}) { id } }', viewerAllowed: false },
    { name: "me", query: "{ me { user { id } memberships { shopId } role } }", viewerAllowed: true },
    { name: "tills", query: "{ tills { id } }", viewerAllowed: false },
    { name: "createTillPairing", query: 'mutation { createTillPairing(name: "Counter") { code } }', viewerAllowed: false },
    {
      name: "revokeTill",
      query: "mutation($id: ID!) { revokeTill(id: $id) { id } }",
      variables: () => ({ id: "00000000-0000-4000-8000-00000000a11a" }),
      viewerAllowed: false,
    },
    { name: "staff", query: "{ staff { id } }", viewerAllowed: false },
    {
      name: "setStaffPin (someone else's)",
      query: 'mutation($u: ID!) { setStaffPin(userId: $u, pin: "1234") { id } }',
      variables: () => ({ u: userIdOf(shop.tokens.cashier) }),
      viewerAllowed: false,
    },
  ];

  const MATRIX = OPERATIONS.flatMap((op) =>
    CASES.filter((c) => !c.label.includes("viewer")).map((c) => ({ ...c, op: op.name, query: op.query, variables: op.variables })),
  );

  it.each(MATRIX)("$op answers $status $code for $label and leaks no data", async ({ query, variables, headers, status, code }) => {
    const res = await gql(t.url, headers(), query, variables?.());
    expect(res.status).toBe(status);
    expect(res.errors?.[0].extensions?.code).toBe(code);
    expect(res.data ?? null).toBeNull();
  });

  it.each(OPERATIONS)("$name follows the viewer's read-only permissions", async ({ query, variables, viewerAllowed }) => {
    const res = await gql(t.url, authHeaders(shop.tokens.viewer, shop.shopId), query, variables?.());
    if (viewerAllowed) {
      expect(res.errors).toBeUndefined();
    } else {
      expect(res.status).toBe(403);
      expect(res.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    }
  });
});

describe("token lifetime (issue 14 #7)", () => {
  const CLI = resolve(__dirname, "../../server/dist/cli/main.js");
  const cli = (...args: string[]) =>
    promisify(execFile)("node", [CLI, "token", ...args], { env: { PATH: process.env.PATH, NODE_ENV: "test", JWT_SECRET: t.config.jwtSecret } });

  it("accepts a token the CLI signs with --ttl, and the CLI refuses a --ttl beyond JWT_MAX_TTL_SECONDS", async () => {
    const { stdout } = await cli("--user", userIdOf(shop.tokens.cashier), "--ttl", "8h");
    const res = await gql(t.url, authHeaders(stdout.trim(), shop.shopId), "{ products { id } }");
    expect(res.errors).toBeUndefined();
    expect(res.status).toBe(200);
    await expect(cli("--user", userIdOf(shop.tokens.cashier), "--ttl", "400d")).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("JWT_MAX_TTL_SECONDS"),
    });
  });

  it("accepts a token that lives exactly JWT_MAX_TTL_SECONDS", async () => {
    const token = jwt.sign({}, t.config.jwtSecret, { subject: userIdOf(shop.tokens.cashier), expiresIn: t.config.jwtMaxTtlSeconds });
    const res = await gql(t.url, authHeaders(token, shop.shopId), "{ products { id } }");
    expect(res.errors).toBeUndefined();
  });
});
