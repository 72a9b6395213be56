import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { type AddressInfo, createServer } from "node:net";
import { resolve } from "node:path";
import { type Database, migrate, openDatabase } from "../../server/src/db/data-source";
import type { DatabaseEnv } from "../support/server-process";

/** A secret of the run: the production server refuses the development default. */
export const STORM_SECRET = randomBytes(24).toString("hex");

/**
 * The suite's database opened in this process, migrated: the real PostgreSQL, or the embedded one's
 * data directory, which only one process may hold, so it is opened here before the server starts
 * (to seed) and after it stopped (to check), never while it runs.
 */
export async function withDatabase<T>(db: DatabaseEnv, work: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase("DATABASE_URL" in db ? { kind: "server", url: db.DATABASE_URL, poolSize: 2 } : { kind: "embedded", dataDir: db.DATA_DIR });
  try {
    await migrate(database);
    return await work(database);
  } finally {
    await database.close();
  }
}

export type StormServer = { url: string; stop(): Promise<number | null> };

/**
 * The production server (`node server/dist/main.js`, NODE_ENV=production) on the suite's
 * database, its stdout not read: under a storm its request log would fill a pipe this busy process
 * drains late, and a blocked log write stalls the server (what spawnServer's log reading is for,
 * the port, comes from PORT here). Ready when /readyz answers, within 30 s.
 */
export async function startStormServer(db: DatabaseEnv, env: Record<string, string>): Promise<StormServer> {
  const port = await freePort();
  const child = spawn("node", [resolve(__dirname, "../../server/dist/main.js")], {
    env: { PATH: process.env.PATH, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), SEED_DEMO: "never", LOG_LEVEL: "warn", RATE_LIMIT_PER_TOKEN: "0", RATE_LIMIT_PER_IP: "0", ...db, ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    return exited;
  };
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before it was ready`);
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) return { url, stop };
  }
  await stop();
  throw new Error("server not ready within 30 s");
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => done(port));
    });
  });
}
