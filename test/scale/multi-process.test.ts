import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { resolve } from "node:path";
import type { SeededShops } from "../../server/src/demo/seed";
import { holdRequest } from "../support/raw-http";
import { saleOf } from "../support/sales";
import { type ServerProcess, checkThroughCli, databaseEnv, seedThroughCli } from "../support/server-process";
import { SYNC_MUTATION, authHeaders } from "../support/transports";
import { type Answer, type PrivateRedis, fresh, freePort, freshDatabase, linesWith, logged, privateRedis, sample, spawnCluster, workerPids } from "./cluster-support";

/**
 * WEB_CONCURRENCY=2 with the production start (`node server/dist/main.js`), real signals and real
 * processes. A cluster needs a PostgreSQL server (config refuses the embedded database with N > 1),
 * so this runs when TEST_DATABASE_URL names one (.ci/run always does). Every request goes on a
 * connection of its own: the cluster hands out connections, round robin, not requests.
 *
 * The first block shares one cluster between its tests, in order (a cluster start costs seconds):
 * spread and metrics, the shared limit, a killed worker, then SIGTERM, which ends it.
 */
const onRealPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const MAIN = resolve(__dirname, "../../server/dist/main.js");
const LIMIT = 4;
const HEALTHZ_COUNT = 'possync_http_request_duration_seconds_count{route="/healthz",method="GET",status="200"}';

const syncRest = (s: ServerProcess, headers: Record<string, string>, sales: unknown[]) => fresh(s.url, "POST", "/api/pos/sync", headers, { sales });
const workersOf = (answers: Answer[]) => new Set(answers.map((a) => a.worker));

/** Fresh connections until both of `expected` workers have answered (at most `max`), so a stray connection cannot fail a spread. */
async function untilBothAnswer(s: ServerProcess, path: string, expected: string[], max = 8): Promise<Answer[]> {
  const answers: Answer[] = [];
  while (answers.length < max && !expected.every((w) => workersOf(answers).has(w))) answers.push(await fresh(s.url, "GET", path));
  return answers;
}

onRealPostgres("WEB_CONCURRENCY=2 on one PostgreSQL, limits shared through the local Redis", () => {
  const db = databaseEnv();
  let shop: SeededShops;
  let cluster: ServerProcess;
  let created = 0;

  beforeAll(async () => {
    shop = await seedThroughCli(db);
    cluster = await spawnCluster(db, 2, {
      REDIS_URL,
      REDIS_KEY_PREFIX: `possync-test:${randomUUID().slice(0, 8)}:`,
      REDIS_TIMEOUT_MS: "2000", // nothing is being cut here: a loaded machine must not fail a limit open
      RATE_LIMIT_PER_TOKEN: String(LIMIT),
      RATE_LIMIT_WINDOW_MS: "300000",
    });
    await logged(cluster, "rate-limit store (Redis) ready", 2);
  }, 60_000);
  afterAll(async () => {
    if (cluster.child.exitCode === null && cluster.child.signalCode === null) cluster.child.kill("SIGKILL");
    await cluster.exited;
  });

  it("serves requests from both workers, and /metrics from either worker counts the requests of both", async () => {
    const spread = await Promise.all(Array.from({ length: 6 }, () => fresh(cluster.url, "GET", "/healthz")));
    expect(spread.map((a) => a.status)).toEqual(Array(6).fill(200));
    expect([...workersOf(spread)].sort()).toEqual(["1", "2"]);

    const scrapes = await untilBothAnswer(cluster, "/metrics", ["1", "2"]);
    expect([...workersOf(scrapes)].sort()).toEqual(["1", "2"]);
    for (const scrape of scrapes) {
      expect(scrape.status).toBe(200);
      expect(sample(scrape.body, HEALTHZ_COUNT)).toBe(6); // the sum over both workers, whichever answered
      expect(sample(scrape.body, "possync_cluster_workers")).toBe(2);
      expect(sample(scrape.body, "possync_db_pool_max")).toBe(20); // two pools of DB_POOL_SIZE=10
    }
  });

  it(`holds a token's limit across both workers: ${LIMIT} syncs in total, then 429 with Retry-After from either`, async () => {
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    const answers: Answer[] = [];
    for (let i = 0; i < LIMIT + 4; i++) answers.push(await syncRest(cluster, headers, [saleOf(shop)]));
    expect(answers.map((a) => a.status)).toEqual([...Array(LIMIT).fill(200), ...Array(4).fill(429)]);
    created += LIMIT;
    const allowed = answers.slice(0, LIMIT);
    expect(workersOf(allowed).size).toBe(2);
    for (const limited of answers.slice(LIMIT)) {
      // Refused by a worker that let fewer than the limit through itself: the count is the cluster's.
      expect(allowed.filter((a) => a.worker === limited.worker).length).toBeLessThan(LIMIT);
      expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
      expect(JSON.parse(limited.body)).toMatchObject({ code: "RATE_LIMITED" });
    }
    expect(workersOf(answers.slice(LIMIT)).size).toBe(2);
  });

  it("replaces a worker killed with SIGKILL, and serves from two workers again", async () => {
    const victim = workerPids(cluster).get("1");
    expect(victim).toEqual(expect.any(Number));
    process.kill(victim!, "SIGKILL");
    await logged(cluster, "worker exited unexpectedly: replacing it", 1);
    // While the replacement starts, a scrape asks only the worker that listens: no wait for one that cannot answer yet.
    const started = performance.now();
    const meanwhile = await fresh(cluster.url, "GET", "/metrics");
    expect(meanwhile.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(2000);
    await logged(cluster, '"worker":3,', 1); // the replacement's own lines
    await logged(cluster, '"msg":"worker listening"', 3);
    const answers = await untilBothAnswer(cluster, "/healthz", ["2", "3"]);
    expect([...workersOf(answers)].sort()).toEqual(["2", "3"]);
    const metrics = (await fresh(cluster.url, "GET", "/metrics")).body;
    expect(sample(metrics, "possync_cluster_worker_restarts_total")).toBe(1);
    expect(sample(metrics, "possync_cluster_workers")).toBe(2);
    expect(linesWith(cluster, "giving up")).toEqual([]);
  });

  it("drains both workers on SIGTERM: every in-flight sync is answered, then the primary exits 0", async () => {
    const owner = authHeaders(shop.tokens.owner, shop.shopId);
    // Requests whose bodies are completed only after the signal: in flight on both workers for sure.
    const held = [];
    for (let i = 0; i < 2; i++) held.push(await holdRequest(cluster.url, { method: "POST", path: "/api/pos/sync", headers: owner, body: { sales: [saleOf(shop)] } }));
    const batches = [0, 1].map(() =>
      fresh(cluster.url, "POST", "/graphql", owner, { query: SYNC_MUTATION, variables: { sales: Array.from({ length: 300 }, () => saleOf(shop)) } }, 30_000),
    );
    await new Promise((r) => setTimeout(r, 100));
    cluster.child.kill("SIGTERM");
    await logged(cluster, '"msg":"shutting down: draining in-flight requests"', 2);

    const afterHeld = await Promise.all(held.map((h) => h.finishThen({ method: "GET", path: "/readyz" })));
    for (const [answer, next] of afterHeld) {
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body).synced).toHaveLength(1);
      expect(next.status).toBe(503); // what a connection sends after the signal is refused
    }
    expect(new Set(afterHeld.map(([answer]) => answer.headers["x-possync-worker"])).size).toBe(2);
    for (const batch of await Promise.all(batches)) {
      expect(batch.status).toBe(200);
      const synced = JSON.parse(batch.body).data.syncOfflineSales.synced as { status: string }[];
      expect(synced.filter((s) => s.status.toLowerCase() === "created")).toHaveLength(300);
    }
    created += 2 + 600;

    expect(await cluster.exited).toBe(0);
    expect(linesWith(cluster, '"msg":"stopped"')).toHaveLength(3); // each worker, then the primary
    expect(linesWith(cluster, '"clean":true,"msg":"stopped"')).toHaveLength(1);
    const check = await checkThroughCli(db, shop.shopId);
    expect(check.output).toContain(`invariants hold: 1 shop(s), ${created} sales`);
  });
});

onRealPostgres("WEB_CONCURRENCY=2 on a fresh database, then its Redis killed and started again", () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let redis: PrivateRedis;
  let cluster: ServerProcess;
  let shop: SeededShops;

  beforeAll(async () => {
    database = await freshDatabase();
    redis = privateRedis(await freePort());
    await redis.start();
    cluster = await spawnCluster({ DATABASE_URL: database.url }, 2, {
      SEED_DEMO: "auto",
      REDIS_URL: redis.url,
      REDIS_TIMEOUT_MS: "500",
      RATE_LIMIT_PER_TOKEN: "3",
      RATE_LIMIT_WINDOW_MS: "300000",
    });
    shop = await seedThroughCli({ DATABASE_URL: database.url });
  }, 60_000);
  afterAll(async () => {
    cluster?.child.kill("SIGTERM");
    await cluster?.exited;
    await redis?.kill();
    await database?.drop();
  });

  it("migrates and seeds the demo shop once, in the primary before any worker starts, and prints the banner once", () => {
    expect(linesWith(cluster, '"msg":"migrations applied"')).toHaveLength(1);
    expect(linesWith(cluster, '"msg":"demo shop seeded"')).toHaveLength(1);
    expect(linesWith(cluster, "pos-sync is running")).toHaveLength(1);
    const out = cluster.output();
    expect(out.indexOf('"msg":"demo shop seeded"')).toBeLessThan(out.indexOf('"msg":"worker started"'));
  });

  it("keeps syncing while Redis is down (fails open, logs it, counts it in /metrics) and shares the limit again once it is back", async () => {
    await logged(cluster, "rate-limit store (Redis) ready", 2);
    await expectSharedLimit(cluster, authHeaders(shop.tokens.cashier, shop.shopId), shop, 3);

    await redis.kill();
    const cashier = authHeaders(shop.tokens.cashier, shop.shopId); // over its limit: only open because Redis is gone
    const during: Answer[] = [];
    for (let i = 0; i < 6; i++) {
      const started = performance.now();
      during.push(await syncRest(cluster, cashier, [saleOf(shop)]));
      expect(performance.now() - started).toBeLessThan(2000);
    }
    expect(during.map((a) => a.status)).toEqual(Array(6).fill(200));
    expect(workersOf(during).size).toBe(2);
    const outage = [...linesWith(cluster, "rate-limit store (Redis) unavailable"), ...linesWith(cluster, "rate-limit store (Redis) failed")];
    expect(outage.length).toBeGreaterThan(0);
    expect(outage.length).toBeLessThan(20); // throttled, not one line per request
    const metrics = (await fresh(cluster.url, "GET", "/metrics")).body;
    expect(sample(metrics, 'possync_rate_limit_store_errors_total{limiter="sync-rest-subject"}')).toBeGreaterThanOrEqual(1);

    await redis.start(); // same port, empty: every count starts again
    await logged(cluster, "rate-limit store (Redis) ready again", 2);
    await expectSharedLimit(cluster, authHeaders(shop.tokens.owner, shop.shopId), shop, 3);
  });
});

onRealPostgres("WEB_CONCURRENCY=2 when every worker crashes at start", () => {
  it("replaces them with growing delays, then gives up and exits 1 instead of forking for ever", async () => {
    // Something else holds the port: each worker fails to listen and exits 1.
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", resolve));
    const port = String((squatter.address() as { port: number }).port);
    const primary = spawn("node", [MAIN], { env: { PATH: process.env.PATH, NODE_ENV: "test", HOST: "127.0.0.1", PORT: port, WEB_CONCURRENCY: "2", SEED_DEMO: "never", ...databaseEnv() } });
    let output = "";
    primary.stdout.on("data", (c: Buffer) => (output += c.toString()));
    primary.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const started = performance.now();
    const code = await new Promise<number | null>((resolve) => primary.once("exit", resolve));
    squatter.close();
    expect(code).toBe(1);
    expect(output.split("\n").filter((l) => l.includes("worker exited unexpectedly: replacing it"))).toHaveLength(5);
    expect(output).toContain("too many have in a short time: giving up");
    expect(output.split("\n").filter((l) => l.includes('"msg":"worker started"')).length).toBeLessThanOrEqual(8); // 2 + 5 restarts (+1 racing the give-up)
    expect(performance.now() - started).toBeLessThan(30_000);
  }, 45_000);
});

/** `limit` syncs allowed over both workers together, then 429 from a worker that let fewer through itself. */
async function expectSharedLimit(cluster: ServerProcess, headers: Record<string, string>, shop: SeededShops, limit: number): Promise<void> {
  const answers: Answer[] = [];
  for (let i = 0; i < limit + 2; i++) answers.push(await syncRest(cluster, headers, [saleOf(shop)]));
  expect(answers.map((a) => a.status)).toEqual([...Array(limit).fill(200), 429, 429]);
  expect(workersOf(answers.slice(0, limit)).size).toBe(2);
  for (const limited of answers.slice(limit)) {
    expect(answers.slice(0, limit).filter((a) => a.worker === limited.worker).length).toBeLessThan(limit);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
  }
}
