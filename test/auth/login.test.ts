import jwt from "jsonwebtoken";
import type { SeededShops } from "../../server/src/demo/seed";
import { saleOf } from "../support/sales";
import { type TestServer, startTestServer } from "../support/test-server";
import { TRANSPORTS, authHeaders, gql } from "../support/transports";
import { type LoginBody, PASSWORD, addUser, login, postJson } from "./auth-support";

let t: TestServer;
let shop: SeededShops;
beforeAll(async () => {
  t = await startTestServer();
  shop = await t.seed();
});
afterAll(async () => {
  await t.close();
});

describe("POST /api/auth/login", () => {
  it("answers a token pair, the user and their shops for the right email and password (any case of the email)", async () => {
    const manager = await addUser(t, shop.shopId, "manager");
    await t.server.services.accounts.addMember(shop.otherShop.shopId, manager.id, "viewer");
    const answer = await login(t, manager.typedEmail.toUpperCase(), PASSWORD);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.stringMatching(/^[\w-]{43}$/),
      expiresIn: 900,
      user: { id: manager.id, email: manager.typedEmail.toLowerCase(), name: "Test manager" },
      memberships: expect.arrayContaining([
        { shopId: shop.shopId, shopName: expect.any(String), role: "manager" },
        { shopId: shop.otherShop.shopId, shopName: expect.any(String), role: "viewer" },
      ]),
    });
    expect(answer.body.memberships).toHaveLength(2);
    const claims = jwt.verify(answer.body.accessToken, t.config.jwtSecret, { algorithms: ["HS256"] }) as jwt.JwtPayload;
    expect(claims.sub).toBe(manager.id);
    expect(claims.exp! - claims.iat!).toBe(900);
  });

  it.each(TRANSPORTS)("gives an access token that the existing Bearer + x-shop-id checks accept over $name", async (transport) => {
    const cashier = await addUser(t, shop.shopId, "cashier");
    const { body } = await login(t, cashier.email, PASSWORD);
    const answer = await transport.sync(t.url, authHeaders(body.accessToken, shop.shopId), [saleOf(shop)]);
    expect(answer.httpStatus).toBe(200);
    expect(answer.synced[0].status).toBe("created");
    const foreign = await transport.sync(t.url, authHeaders(body.accessToken, shop.otherShop.shopId), [saleOf(shop)]);
    expect(foreign.httpStatus).toBe(403);
  });

  it("answers the same 401 for a wrong email and for a wrong password", async () => {
    const cashier = await addUser(t, shop.shopId, "cashier");
    const wrongPassword = await login(t, cashier.email, "not the password");
    const wrongEmail = await login(t, `nobody-${cashier.email}`, PASSWORD);
    const noPassword = await login(t, (await t.dataSource.query(`SELECT email FROM users WHERE id = $1`, [userIdOf(shop.tokens.owner)]))[0].email, PASSWORD);
    for (const answer of [wrongPassword, wrongEmail, noPassword]) {
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ error: "Wrong email or password", code: "UNAUTHENTICATED" });
    }
  });

  it("takes about the same time for an unknown email as for a wrong password (the dummy hash is checked)", async () => {
    const cashier = await addUser(t, shop.shopId, "cashier");
    const timed = async (email: string) => {
      const started = process.hrtime.bigint();
      await login(t, email, "not the password");
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    await timed(cashier.email); // warm-up: the dummy hash and the connection
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) {
      known.push(await timed(cashier.email));
      unknown.push(await timed(`ghost-${i}-${cashier.email}`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    // Without the dummy hash an unknown email answers in about a millisecond, a wrong password in tens.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.5);
    expect(median(unknown)).toBeLessThan(median(known) * 2);
  });

  it("answers 400 for a body without an email or password", async () => {
    for (const body of [{}, { email: "a@b.c" }, { email: 1, password: "x" }, "[]", "null"]) {
      const answer = await postJson(t.url, "/api/auth/login", body);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: "BAD_REQUEST" });
    }
  });
});

describe("GraphQL me", () => {
  it("answers the signed-in user with every shop they belong to and the role of this request", async () => {
    const manager = await addUser(t, shop.shopId, "manager");
    const { body } = await login(t, manager.email, PASSWORD);
    const res = await gql<{ me: { user: LoginBody["user"]; till: null; memberships: unknown[]; shopId: string; role: string } }>(
      t.url,
      authHeaders(body.accessToken, shop.shopId),
      "{ me { user { id email name } till { id } memberships { shopId shopName role } shopId role } }",
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.me).toEqual({
      user: body.user,
      till: null,
      memberships: [{ shopId: shop.shopId, shopName: expect.any(String), role: "MANAGER" }],
      shopId: shop.shopId,
      role: "MANAGER",
    });
  });
});

function userIdOf(token: string): string {
  return (jwt.decode(token) as { sub: string }).sub;
}
