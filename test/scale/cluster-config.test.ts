import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { restartBudget } from "../../server/src/cluster/restart-budget";
import { loadConfig } from "../../server/src/config/config";

const run = promisify(execFile);
const MAIN = resolve(__dirname, "../../server/dist/main.js");
const PG = { DATABASE_URL: "postgres://postgres@127.0.0.1:5432/unused" };

describe("WEB_CONCURRENCY", () => {
  it("defaults to 1 (no cluster at all) and takes 1 to 64 worker processes on a PostgreSQL server", () => {
    expect(loadConfig({}).webConcurrency).toBe(1);
    expect(loadConfig({ WEB_CONCURRENCY: "1" }).webConcurrency).toBe(1);
    expect(loadConfig({ ...PG, WEB_CONCURRENCY: "4" }).webConcurrency).toBe(4);
    expect(loadConfig({ ...PG, WEB_CONCURRENCY: "64" }).webConcurrency).toBe(64);
  });

  it.each(["0", "-1", "1.5", "two", "65"])("refuses WEB_CONCURRENCY=%s with a message naming it", (value) => {
    expect(() => loadConfig({ ...PG, WEB_CONCURRENCY: value })).toThrow(/WEB_CONCURRENCY: must be a whole number of worker processes from 1 to 64/);
  });

  it("refuses more than one process on the embedded database, which belongs to one process", () => {
    expect(() => loadConfig({ WEB_CONCURRENCY: "2" })).toThrow(/WEB_CONCURRENCY: 2 processes need DATABASE_URL/);
  });

  it("makes the production start exit 1 with that message before it opens anything", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "possync-cluster-"));
    const failure = await run("node", [MAIN], { env: { PATH: process.env.PATH, WEB_CONCURRENCY: "2", DATA_DIR: dataDir, PORT: "0" }, timeout: 20_000 }).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code?: number; stderr?: string }) => ({ code: error.code, stderr: error.stderr ?? "" }),
    );
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain("WEB_CONCURRENCY: 2 processes need DATABASE_URL (a PostgreSQL server)");
  });
});

describe("the primary's restart budget", () => {
  const policy = { maxRestarts: 3, windowMs: 60_000, firstDelayMs: 0, maxDelayMs: 400 };

  it("replaces the first crash at once, then waits longer each time, and gives up past the limit in the window", () => {
    const budget = restartBudget(policy);
    expect([budget.next(0), budget.next(1_000), budget.next(2_000), budget.next(3_000)]).toEqual([0, 250, 400, null]);
  });

  it("forgets crashes older than the window, so a worker that crashes now and then is always replaced", () => {
    const budget = restartBudget(policy);
    for (let hour = 0; hour < 10; hour++) expect(budget.next(hour * 3_600_000)).toBe(0);
  });
});
