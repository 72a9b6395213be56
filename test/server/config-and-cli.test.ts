import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { DEVELOPMENT_JWT_SECRET, loadConfig } from "../../server/src/config/config";

const run = promisify(execFile);
const CLI = resolve(__dirname, "../../server/dist/cli/main.js");

describe("configuration", () => {
  it("uses the documented defaults when nothing is set", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 4000, databaseUrl: undefined, dataDir: "./.data", maxSalesPerRequest: 1000, maxBodyBytes: 5 * 1024 * 1024 });
  });

  it.each([
    [{ PORT: "eighty" }, "PORT"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ MAX_SALES_PER_REQUEST: "0" }, "MAX_SALES_PER_REQUEST"],
    [{ NODE_ENV: "staging" }, "NODE_ENV"],
    [{ JWT_SECRET: "short" }, "JWT_SECRET"],
    [{ REDIS_URL: "http://cache:6379" }, "REDIS_URL"],
    [{ REDIS_URL: "redis://" }, "REDIS_URL"],
    [{ REDIS_TIMEOUT_MS: "5" }, "REDIS_TIMEOUT_MS"],
    [{ REDIS_KEY_PREFIX: "has spaces" }, "REDIS_KEY_PREFIX"],
  ])("refuses %j with a message naming %s", (env, name) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`${name}:`));
  });

  it("refuses an ACCESS_TOKEN_TTL longer than JWT_MAX_TTL_SECONDS (the server would refuse its own tokens)", () => {
    expect(() => loadConfig({ ACCESS_TOKEN_TTL: "7200", JWT_MAX_TTL_SECONDS: "3600" })).toThrow(/ACCESS_TOKEN_TTL: must not exceed JWT_MAX_TTL_SECONDS/);
    expect(() => loadConfig({ ACCESS_TOKEN_TTL: "3600", JWT_MAX_TTL_SECONDS: "3600" })).not.toThrow();
  });

  it("counts rate limits per process unless REDIS_URL names a Redis (redis:// or rediss://)", () => {
    expect(loadConfig({}).redis).toEqual({ url: undefined, timeoutMs: 500, keyPrefix: "possync:rl:" });
    expect(loadConfig({ REDIS_URL: "rediss://:secret@cache.internal:6380/2", REDIS_TIMEOUT_MS: "250" }).redis).toMatchObject({
      url: "rediss://:secret@cache.internal:6380/2",
      timeoutMs: 250,
    });
  });

  it("refuses the development JWT secret in production", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/JWT_SECRET: the development default is refused in production/);
    expect(() => loadConfig({ NODE_ENV: "production", JWT_SECRET: DEVELOPMENT_JWT_SECRET.replace("dev", "prod") })).not.toThrow();
  });
});

describe("cli (compiled, as `npm run cli` runs it)", () => {
  const env = () => {
    const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, NODE_ENV: "test" };
    if (process.env.TEST_DATABASE_URL) base.DATABASE_URL = process.env.TEST_DATABASE_URL;
    else base.DATA_DIR = mkdtempSync(join(tmpdir(), "possync-cli-"));
    return base;
  };

  it("seed-demo --json prints exactly one JSON object with two fresh shops and tokens", async () => {
    const { stdout } = await run("node", [CLI, "seed-demo", "--json"], { env: env() });
    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const seeded = JSON.parse(lines[0]);
    expect(seeded).toMatchObject({
      shopId: expect.any(String),
      customerId: expect.any(String),
      tokens: { owner: expect.any(String), cashier: expect.any(String), viewer: expect.any(String) },
      otherShop: { shopId: expect.any(String), productId: expect.any(String), customerId: expect.any(String), tokens: { cashier: expect.any(String) } },
    });
    expect(seeded.products.length).toBeGreaterThanOrEqual(3);
    expect(seeded.products[0]).toEqual({ id: expect.any(String), name: expect.any(String), price: expect.any(Number), stock: expect.any(Number), lowStockThreshold: expect.any(Number) });
  });

  it("token prints a token for the given user and migrate reports what it applied", async () => {
    const e = env();
    const { stdout } = await run("node", [CLI, "token", "--user", "5e5e0000-0000-4000-8000-0000000000c1", "--ttl", "1h"], { env: e });
    expect(stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const migrated = await run("node", [CLI, "migrate"], { env: e });
    expect(migrated.stdout).toMatch(/applied: InitialSchema|nothing to apply/);
  });

  it("exits non-zero with the usage on an unknown command", async () => {
    await expect(run("node", [CLI, "frobnicate"], { env: env() })).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("usage:") });
  });
});
