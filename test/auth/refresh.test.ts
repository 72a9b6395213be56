import { Writable } from "node:stream";
import { AccountService } from "../../server/src/auth/account.service";
import type { SeededShops } from "../../server/src/demo/seed";
import { createLogger } from "../../server/src/observability/logger";
import { authSettingsOf } from "../../server/src/services";
import { saleOf } from "../support/sales";
import { type TestServer, startTestServer } from "../support/test-server";
import { authHeaders, rest } from "../support/transports";
import { PASSWORD, addUser, login, postJson, refresh, sleep } from "./auth-support";

let t: TestServer;
let shop: SeededShops;
beforeAll(async () => {
  // No grace for a retried token here, so every replay of a rotated token is a reuse.
  t = await startTestServer({ REFRESH_TOKEN_REUSE_GRACE: "0" });
  shop = await t.seed();
});
afterAll(async () => {
  await t.close();
});

async function signIn() {
  const cashier = await addUser(t, shop.shopId, "cashier");
  return (await login(t, cashier.email, PASSWORD)).body;
}

async function familyOf(refreshToken: string) {
  const rows: { revoked_at: Date | null; revoked_reason: string | null }[] = await t.dataSource.query(
    `SELECT f.revoked_at, f.revoked_reason FROM refresh_token_families f
       JOIN refresh_tokens r ON r.family_id = f.id WHERE r.token_hash = encode(sha256($1::bytea), 'hex')`,
    [Buffer.from(refreshToken)],
  );
  return rows[0];
}

describe("POST /api/auth/refresh", () => {
  it("rotates: a new pair every time, each access token working, the refresh token stored only as its hash", async () => {
    let session = await signIn();
    const seen = new Set([session.refreshToken]);
    for (let i = 0; i < 3; i++) {
      const answer = await refresh(t, session.refreshToken);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.stringMatching(/^[\w-]{43}$/), expiresIn: 900 });
      expect(seen.has(answer.body.refreshToken)).toBe(false);
      seen.add(answer.body.refreshToken);
      session = { ...session, ...answer.body };
      expect((await rest.sync(t.url, authHeaders(session.accessToken, shop.shopId), [saleOf(shop)])).httpStatus).toBe(200);
    }
    const stored: { n: number }[] = await t.dataSource.query(`SELECT count(*)::int AS n FROM refresh_tokens WHERE token_hash = $1`, [session.refreshToken]);
    expect(stored[0].n).toBe(0);
  });

  it("revokes the whole family when a rotated token is presented again, and refuses every token of it", async () => {
    const first = await signIn();
    const second = (await refresh(t, first.refreshToken)).body;
    const replay = await refresh(t, first.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ code: "UNAUTHENTICATED" });
    expect(await familyOf(first.refreshToken)).toMatchObject({ revoked_at: expect.any(Date), revoked_reason: "refresh token reused" });
    // The legitimate holder's newest token is refused too: whoever holds the family must sign in again.
    expect((await refresh(t, second.refreshToken)).status).toBe(401);
  });

  it("logs the reuse with the family and its owner, never a token", async () => {
    const lines: string[] = [];
    const logger = createLogger("info", new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
    const accounts = new AccountService(t.dataSource, authSettingsOf(t.config), logger);
    const session = await signIn();
    const next = await accounts.refresh(session.refreshToken);
    await expect(accounts.refresh(session.refreshToken)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    const logged = lines.map((l) => JSON.parse(l) as { msg: string; familyId?: string; owner?: { userId?: string } });
    expect(logged).toEqual([
      expect.objectContaining({ msg: "refresh token reused: its family was revoked", familyId: expect.any(String), owner: { kind: "user", userId: session.user.id } }),
    ]);
    expect(lines.join("")).not.toContain(session.refreshToken);
    expect(lines.join("")).not.toContain(next.refreshToken);
  });

  it("lets only one of two concurrent refreshes with the same token win; the other is a reuse", async () => {
    const session = await signIn();
    const answers = await Promise.all([refresh(t, session.refreshToken), refresh(t, session.refreshToken)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401]);
    expect((await familyOf(session.refreshToken))?.revoked_at).toEqual(expect.any(Date));
  });

  it("refuses an unknown token, and a body without one", async () => {
    expect((await refresh(t, "x".repeat(43))).status).toBe(401);
    expect((await postJson(t.url, "/api/auth/refresh", {})).status).toBe(400);
  });

  it("refuses a token that has not been used for REFRESH_TOKEN_TTL, without revoking anything else", async () => {
    const short = await startTestServer({ REFRESH_TOKEN_TTL: "1s" });
    try {
      const s = await short.seed();
      const cashier = await addUser(short, s.shopId, "cashier");
      const session = (await login(short, cashier.email, PASSWORD)).body;
      const renewed = await refresh(short, session.refreshToken);
      expect(renewed.status).toBe(200);
      await sleep(1500);
      const expired = await refresh(short, renewed.body.refreshToken);
      expect(expired.status).toBe(401);
      expect(expired.body).toMatchObject({ code: "UNAUTHENTICATED" });
    } finally {
      await short.close();
    }
  });
});

describe("a retry right after a rotation (REFRESH_TOKEN_REUSE_GRACE)", () => {
  it("gets a new pair while the successor is unused, and the unused successor is retired (a later use of it revokes)", async () => {
    const graced = await startTestServer({ REFRESH_TOKEN_REUSE_GRACE: "30s" });
    try {
      const s = await graced.seed();
      const cashier = await addUser(graced, s.shopId, "cashier");
      const session = (await login(graced, cashier.email, PASSWORD)).body;
      const lost = await refresh(graced, session.refreshToken); // its answer never reached the till
      expect(lost.status).toBe(200);
      const retried = await refresh(graced, session.refreshToken);
      expect(retried.status).toBe(200);
      expect(retried.body.refreshToken).not.toBe(lost.body.refreshToken);
      expect((await refresh(graced, retried.body.refreshToken)).status).toBe(200);
      // The retired successor in anyone's hands is a reuse: the family is revoked.
      expect((await refresh(graced, lost.body.refreshToken)).status).toBe(401);
      expect((await refresh(graced, retried.body.refreshToken)).status).toBe(401);
    } finally {
      await graced.close();
    }
  });
});

describe("POST /api/auth/logout", () => {
  it("revokes the family: 204, then neither the token nor its successors refresh", async () => {
    const session = await signIn();
    const next = (await refresh(t, session.refreshToken)).body;
    const out = await postJson(t.url, "/api/auth/logout", { refreshToken: session.refreshToken });
    expect(out.status).toBe(204);
    expect((await refresh(t, next.refreshToken)).status).toBe(401);
    expect(await familyOf(next.refreshToken)).toMatchObject({ revoked_reason: "logout" });
  });

  it("answers 204 for an unknown token too (nothing to tell a caller)", async () => {
    expect((await postJson(t.url, "/api/auth/logout", { refreshToken: "unknown" })).status).toBe(204);
  });
});
