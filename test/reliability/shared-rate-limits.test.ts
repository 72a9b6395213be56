import { randomUUID } from "node:crypto";
import type { SeededShops } from "../../server/src/demo/seed";
import { Redis } from "ioredis";
import { addUser, PASSWORD, postJson } from "../auth/auth-support";
import { saleOf } from "../support/sales";
import { type ServerProcess, databaseEnv, seedThroughCli, spawnServer } from "../support/server-process";
import { type TcpProxy, startTcpProxy } from "../support/tcp-proxy";
import { startTestServer } from "../support/test-server";
import { authHeaders, rest } from "../support/transports";

/**
 * Rate limits shared by server processes through Redis (REDIS_URL), and what happens when Redis
 * goes away: sync fails open, sign-in falls back to a per-process count, nothing waits long.
 * Needs a Redis (TEST_REDIS_URL, default redis://127.0.0.1:6379; .ci/run starts one): without
 * one this fails, it never skips. Each test uses its own key prefix, so runs never collide.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const BOUND_MS = 2000;

let redis: Redis;
let servers: ServerProcess[] = [];

beforeAll(async () => {
  redis = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(
      `Redis is not reachable at ${REDIS_URL} (${(error as Error).message}): these tests need one. ` +
        `Start it with: redis-server --daemonize yes --save '' --appendonly no (or set TEST_REDIS_URL).`,
    );
  }
});
afterEach(async () => {
  for (const s of servers) s.child.kill("SIGTERM");
  await Promise.all(servers.map((s) => s.exited));
  servers = [];
});
afterAll(() => redis?.disconnect());

const prefixOf = () => `possync-test:${randomUUID().slice(0, 8)}:`;

/**
 * Two server processes with one key prefix: on one PostgreSQL when the run has one, otherwise each
 * on its own embedded database (a file belongs to one process), the first one seeded.
 */
async function twoServers(
  extra: Record<string, string>,
  { seed = true, redisUp = true } = {},
): Promise<{ shop: SeededShops; a: ServerProcess; b: ServerProcess; sharedDb: boolean }> {
  const shared = process.env.TEST_DATABASE_URL ? databaseEnv() : undefined;
  const dbs = [shared ?? databaseEnv(), shared ?? databaseEnv()];
  const shop = seed ? await seedThroughCli(dbs[0]) : ({} as SeededShops);
  // A generous store timeout where nothing is being cut: a loaded machine must not fail a limit open.
  servers = await Promise.all(dbs.map((db) => spawnServer(db, { REDIS_URL, REDIS_TIMEOUT_MS: "2000", ...extra })));
  // A server waits REDIS_TIMEOUT_MS for Redis before it listens; a loaded machine may need longer.
  if (redisUp) await Promise.all(servers.map((s) => logged(s, "rate-limit store (Redis) ready", 1)));
  return { shop, a: servers[0], b: servers[1], sharedDb: Boolean(shared) };
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

const wrongLogin = (s: ServerProcess, email: string) => postJson(s.url, "/api/auth/login", { email, password: "not the password" });
const wrongPairing = (s: ServerProcess, i: number) => postJson(s.url, "/api/tills/pair", { code: `GUESS${i}AB`.slice(0, 8) });

/** The proxy needs the port spelled out (it defaults to PostgreSQL's). */
function withPort(url: string): string {
  const parsed = new URL(url);
  if (!parsed.port) parsed.port = "6379";
  return parsed.toString();
}

describe("rate limits shared by two server processes through Redis", () => {
  it("counts failed logins for one email across both: the 5th of LOGIN_RATE_LIMIT_PER_EMAIL=4, on either, is 429 with Retry-After", async () => {
    const { a, b } = await twoServers({ REDIS_KEY_PREFIX: prefixOf(), LOGIN_RATE_LIMIT_PER_EMAIL: "4", LOGIN_RATE_LIMIT_PER_IP: "0" }, { seed: false });
    const email = `target-${randomUUID()}@example.com`;
    for (const s of [a, b, a, b]) expect((await wrongLogin(s, email)).status).toBe(401);
    for (const s of [a, b]) {
      const limited = await wrongLogin(s, email);
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ code: "RATE_LIMITED" });
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    expect((await wrongLogin(a, `other-${randomUUID()}@example.com`)).status).toBe(401);
  });

  it("counts failed pairing codes per address across both: the 5th of PAIR_RATE_LIMIT_PER_IP=4 is 429", async () => {
    const { a, b } = await twoServers({ REDIS_KEY_PREFIX: prefixOf(), PAIR_RATE_LIMIT_PER_IP: "4" }, { seed: false });
    for (const [i, s] of [a, b, a, b].entries()) expect((await wrongPairing(s, i)).status).toBe(401);
    const limited = await wrongPairing(b, 9);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: "RATE_LIMITED" });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("counts sync requests per token subject across both: the 5th of RATE_LIMIT_PER_TOKEN=4 is 429 with Retry-After", async () => {
    const { shop, a, b, sharedDb } = await twoServers({ REDIS_KEY_PREFIX: prefixOf(), RATE_LIMIT_PER_TOKEN: "4" });
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    // On the embedded database the second process has no such shop (403), which the limit counts all the same.
    const unlimited = sharedDb ? [200] : [200, 403];
    for (const s of [a, b, a, b]) expect(unlimited).toContain((await rest.sync(s.url, headers, [saleOf(shop)])).httpStatus);
    for (const s of [a, b]) {
      const res = await fetch(`${s.url}/api/pos/sync`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: "{}" });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await res.json()).toMatchObject({ code: "RATE_LIMITED" });
    }
  });

  it("gives a successful login's slot back in Redis too (skipSuccessfulRequests with the Redis store)", async () => {
    const prefix = prefixOf();
    const t = await startTestServer({ REDIS_URL, REDIS_KEY_PREFIX: prefix, LOGIN_RATE_LIMIT_PER_EMAIL: "2", LOGIN_RATE_LIMIT_PER_IP: "0" });
    try {
      const shop = await t.seed();
      const cashier = await addUser(t, shop.shopId, "cashier");
      for (let i = 0; i < 4; i++) expect((await postJson(t.url, "/api/auth/login", { email: cashier.email, password: PASSWORD })).status).toBe(200);
      const keys = await redis.keys(`${prefix}login-email:*`);
      expect(keys).toHaveLength(1);
      // The decrement runs when the answer has been sent: give it a moment.
      for (let i = 0; i < 20 && (await redis.get(keys[0])) !== "0"; i++) await new Promise((r) => setTimeout(r, 25));
      expect(await redis.get(keys[0])).toBe("0");
    } finally {
      await t.close();
    }
  });
});

/** Waits until `count` lines of a server's log contain `text` (the store's own ready line, say). */
async function logged(s: ServerProcess, text: string, count: number, withinMs = 15_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  const seen = () => s.output().split("\n").filter((line) => line.includes(text)).length;
  while (seen() < count) {
    if (Date.now() > deadline) throw new Error(`"${text}" logged ${seen()} times, not ${count}, in ${withinMs} ms:\n${s.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function storeErrors(s: ServerProcess, limiter: string): Promise<number> {
  const text = await (await fetch(`${s.url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`possync_rate_limit_store_errors_total{limiter="${limiter}"}`));
  return line ? Number(line.split(" ")[1]) : 0;
}

/**
 * LOGIN_RATE_LIMIT_PER_EMAIL=4 counted across both processes: the 5th failure is refused although
 * neither process has seen more than 3. A store operation that timed out meanwhile (a loaded
 * machine, right after a reconnect) lets its request through by design, so such a round is retried
 * with a fresh email; a round without store errors must be exact.
 */
async function expectSharedLoginLimit(a: ServerProcess, b: ServerProcess): Promise<void> {
  const errors = async () => (await storeErrors(a, "login-email")) + (await storeErrors(b, "login-email"));
  for (let round = 0; ; round++) {
    const before = await errors();
    const email = `shared-${randomUUID()}@example.com`;
    const statuses: number[] = [];
    for (const s of [a, b, a, b, b]) statuses.push((await wrongLogin(s, email)).status);
    if (round < 2 && (await errors()) > before) continue;
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    return;
  }
}

describe("when Redis goes away (a real network fault through a TCP proxy)", () => {
  let proxy: TcpProxy;
  afterEach(async () => {
    await proxy?.close();
  });

  /**
   * One outage, staged twice: first a partition (every byte dropped, the sockets look open), then
   * Redis refusing connections; then it comes back. Each request is timed.
   */
  async function duringOutage(a: ServerProcess, shop: SeededShops, slowest: number[]) {
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    for (let i = 0; i < 5; i++) {
      const [answer, ms] = await timed(() => rest.sync(a.url, headers, [saleOf(shop)]));
      expect(answer.httpStatus).toBe(200); // over RATE_LIMIT_PER_TOKEN=3 already: the sync limit fails open
      slowest.push(ms);
    }
    const email = `outage-${randomUUID()}@example.com`;
    for (let i = 0; i < 4; i++) {
      const [answer, ms] = await timed(() => wrongLogin(a, email));
      expect(answer.status).toBe(401);
      slowest.push(ms);
    }
    const [limited, ms] = await timed(() => wrongLogin(a, email));
    expect(limited.status).toBe(429); // the per-process memory backstop
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    slowest.push(ms);
    const [ready, readyMs] = await timed(() => fetch(`${a.url}/readyz`));
    expect(ready.status).toBe(200); // readiness does not depend on Redis
    slowest.push(readyMs);
  }

  it("syncs fail open, logins are limited per process, every answer comes within 2 s, and the shared limits return with Redis", async () => {
    proxy = await startTcpProxy(withPort(REDIS_URL));
    const { shop, a, b } = await twoServers({
      REDIS_URL: proxy.url,
      REDIS_TIMEOUT_MS: "500",
      REDIS_KEY_PREFIX: prefixOf(),
      RATE_LIMIT_PER_TOKEN: "3",
      RATE_LIMIT_WINDOW_MS: "300000",
      LOGIN_RATE_LIMIT_PER_EMAIL: "4",
      LOGIN_RATE_LIMIT_PER_IP: "0",
    });
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    for (let i = 0; i < 3; i++) expect((await rest.sync(a.url, headers, [saleOf(shop)])).httpStatus).toBe(200);
    expect((await rest.sync(a.url, headers, [saleOf(shop)])).httpStatus).toBe(429);

    const partitioned: number[] = [];
    proxy.blackhole();
    await duringOutage(a, shop, partitioned);
    const refused: number[] = [];
    await proxy.cut();
    await duringOutage(a, shop, refused);
    expect(Math.max(...partitioned)).toBeLessThan(BOUND_MS);
    expect(Math.max(...refused)).toBeLessThan(BOUND_MS);
    expect(await storeErrors(a, "sync-rest-subject")).toBeGreaterThan(0);
    const unavailable = a.output().split("\n").filter((l) => l.includes("rate-limit store (Redis) unavailable") || l.includes("rate-limit store (Redis) failed"));
    expect(unavailable.length).toBeLessThan(10); // throttled, not one line per request

    await proxy.heal();
    await Promise.all([a, b].map((s) => logged(s, "rate-limit store (Redis) ready again", 1)));
    // The shared counters are back: the subject is still over its limit, and a new email's
    // failures alternate between both processes and are counted as one.
    expect((await rest.sync(b.url, headers, [saleOf(shop)])).httpStatus).toBe(429);
    await expectSharedLoginLimit(a, b);
  });

  it("starts while Redis is unreachable, fails open meanwhile, and shares the limits once Redis answers", async () => {
    proxy = await startTcpProxy(withPort(REDIS_URL));
    await proxy.cut();
    const { shop, a, b } = await twoServers({ REDIS_URL: proxy.url, REDIS_KEY_PREFIX: prefixOf(), RATE_LIMIT_PER_TOKEN: "2", LOGIN_RATE_LIMIT_PER_EMAIL: "4" }, { redisUp: false });
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    for (let i = 0; i < 3; i++) expect((await rest.sync(a.url, headers, [saleOf(shop)])).httpStatus).toBe(200);
    await proxy.heal();
    await Promise.all([a, b].map((s) => logged(s, "rate-limit store (Redis) ready again", 1)));
    await expectSharedLoginLimit(a, b);
  });
});
