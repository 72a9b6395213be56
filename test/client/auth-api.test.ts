import {
  AuthRateLimitedError,
  AuthRequestError,
  AuthUnavailableError,
  CredentialRefusedError,
  pairTill,
  refreshTokens,
  signIn,
  signOut,
} from "../../client/src";
import type { SeededShops } from "../../server/src/demo/seed";
import { type TestServer, startTestServer } from "../support/test-server";
import { addMember, pairingCode } from "./auth-harness";

let t: TestServer;
let shop: SeededShops;
beforeAll(async () => {
  t = await startTestServer({ LOGIN_RATE_LIMIT_PER_EMAIL: "2" });
  shop = await t.seed();
});
afterAll(async () => {
  await t.close();
});

/** What a rejection is: its class, status and the server's code. */
async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AuthRequestError)) throw new Error(`expected an AuthRequestError, got ${String(error)}`);
  return { type: error.constructor, status: error.status, code: error.code };
}

describe("pairTill", () => {
  it("answers the till's identity and its own credential, typed", async () => {
    const code = await pairingCode(t, shop, "Window");
    const answer = await pairTill(`${t.url}/`, `${code.slice(0, 4).toLowerCase()}-${code.slice(4)}`);
    expect(answer).toEqual({
      till: { id: expect.any(String), code: expect.stringMatching(/^T\d\d$/), name: "Window", shopId: shop.shopId, shopName: expect.any(String) },
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 900,
    });
  });

  it("refuses a used code with CredentialRefusedError carrying the server's UNAUTHENTICATED", async () => {
    const code = await pairingCode(t, shop);
    await pairTill(t.url, code);
    expect(await refusal(pairTill(t.url, code))).toEqual({ type: CredentialRefusedError, status: 401, code: "UNAUTHENTICATED" });
  });

  it("rejects with AuthUnavailableError when nothing answers (NETWORK), nothing answers in time (TIMEOUT) or the answer is not the server's (BAD_ANSWER)", async () => {
    expect(await refusal(pairTill("http://127.0.0.1:9", "ABCDEFGH"))).toEqual({ type: AuthUnavailableError, status: undefined, code: "NETWORK" });
    const never: typeof fetch = (_input, init) => new Promise((_, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)));
    expect(await refusal(pairTill(t.url, "ABCDEFGH", { fetch: never, requestTimeoutMs: 50 }))).toEqual({ type: AuthUnavailableError, status: undefined, code: "TIMEOUT" });
    const portal: typeof fetch = async () => new Response("<html>Sign in to the hotel Wi-Fi</html>", { status: 200 });
    expect(await refusal(pairTill(t.url, "ABCDEFGH", { fetch: portal }))).toEqual({ type: AuthUnavailableError, status: 200, code: "BAD_ANSWER" });
  });
});

describe("signIn", () => {
  it("answers the person, their shops and a credential; refresh rotates it and signOut ends it", async () => {
    const manager = await addMember(t, shop.shopId, "manager");
    const answer = await signIn(t.url, manager.email.toUpperCase(), manager.password);
    expect(answer.user).toEqual({ id: manager.id, email: manager.email, name: "Test manager" });
    expect(answer.memberships).toEqual([{ shopId: shop.shopId, shopName: expect.any(String), role: "manager" }]);
    const rotated = await refreshTokens(t.url, answer.refreshToken);
    expect(rotated.refreshToken).not.toBe(answer.refreshToken);
    await signOut(t.url, rotated.refreshToken);
    expect(await refusal(refreshTokens(t.url, rotated.refreshToken))).toEqual({ type: CredentialRefusedError, status: 401, code: "UNAUTHENTICATED" });
  });

  it("refuses a wrong password with CredentialRefusedError, and too many with AuthRateLimitedError carrying RATE_LIMITED and the wait", async () => {
    const cashier = await addMember(t, shop.shopId, "cashier");
    expect(await refusal(signIn(t.url, cashier.email, "wrong password"))).toEqual({ type: CredentialRefusedError, status: 401, code: "UNAUTHENTICATED" });
    await signIn(t.url, cashier.email, "wrong again").catch(() => undefined);
    const limited = await signIn(t.url, cashier.email, cashier.password).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(AuthRateLimitedError);
    expect(limited).toMatchObject({ status: 429, code: "RATE_LIMITED", retryAfterSeconds: expect.any(Number) });
  });
});
