import type { SeededShops } from "../../server/src/demo/seed";
import { type TestServer, startTestServer } from "../support/test-server";
import { PASSWORD, addUser, login } from "./auth-support";

describe("rate limits on POST /api/auth/login", () => {
  let t: TestServer;
  let shop: SeededShops;
  afterEach(async () => {
    await t.close();
  });

  it("answers 429 with Retry-After after too many failed logins for one email, and leaves other emails alone", async () => {
    t = await startTestServer({ LOGIN_RATE_LIMIT_PER_EMAIL: "3", LOGIN_RATE_LIMIT_PER_IP: "0" });
    shop = await t.seed();
    const target = await addUser(t, shop.shopId, "manager");
    const other = await addUser(t, shop.shopId, "cashier");
    for (let i = 0; i < 3; i++) expect((await login(t, target.email, `guess ${i}`)).status).toBe(401);
    const limited = await login(t, target.email.toUpperCase(), PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: "RATE_LIMITED" });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await login(t, other.email, PASSWORD)).status).toBe(200);
  });

  it("does not count successful logins against the email", async () => {
    t = await startTestServer({ LOGIN_RATE_LIMIT_PER_EMAIL: "2", LOGIN_RATE_LIMIT_PER_IP: "0" });
    shop = await t.seed();
    const cashier = await addUser(t, shop.shopId, "cashier");
    for (let i = 0; i < 4; i++) expect((await login(t, cashier.email, PASSWORD)).status).toBe(200);
  });

  it("answers 429 once one address has failed too often, whatever emails it tries", async () => {
    t = await startTestServer({ LOGIN_RATE_LIMIT_PER_EMAIL: "0", LOGIN_RATE_LIMIT_PER_IP: "4" });
    shop = await t.seed();
    const cashier = await addUser(t, shop.shopId, "cashier");
    for (let i = 0; i < 4; i++) expect((await login(t, `someone-${i}@example.com`, "guess")).status).toBe(401);
    const limited = await login(t, cashier.email, PASSWORD);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
