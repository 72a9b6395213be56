import { type ChildProcess, execFile, spawn } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { SeededShops } from "../../server/src/demo/seed";
import { TEMPLATE_DIR_ENV } from "./embedded-template";

/**
 * The compiled server as its own process (`node server/dist/main.js`, what `npm start` runs), for
 * what an in-process server cannot show: SIGKILL, SIGTERM, two servers on one database.
 */
const ROOT = resolve(__dirname, "../..");
const run = promisify(execFile);

export type DatabaseEnv = { DATABASE_URL: string } | { DATA_DIR: string };

/**
 * The real PostgreSQL of the run, or a fresh directory for the embedded database: a copy of the
 * run's migrated one (embedded-template.ts) when jest's globalSetup made it, so the server does
 * not pay PGlite's initdb.
 */
export function databaseEnv(): DatabaseEnv {
  if (process.env.TEST_DATABASE_URL) return { DATABASE_URL: process.env.TEST_DATABASE_URL };
  const dir = mkdtempSync(join(tmpdir(), "possync-proc-"));
  const template = process.env[TEMPLATE_DIR_ENV];
  if (template) cpSync(template, join(dir, "pglite"), { recursive: true });
  return { DATA_DIR: dir };
}

function baseEnv(db: DatabaseEnv, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    PORT: "0",
    SEED_DEMO: "never",
    LOG_LEVEL: "info",
    RATE_LIMIT_PER_TOKEN: "0",
    RATE_LIMIT_PER_IP: "0",
    ...db,
    ...extra,
  };
}

/** `extra` as for spawnServer: a server with its own JWT_SECRET needs tokens signed with it. */
export async function seedThroughCli(db: DatabaseEnv, extra: Record<string, string> = {}): Promise<SeededShops> {
  const { stdout } = await run("node", [join(ROOT, "server/dist/cli/main.js"), "seed-demo", "--json"], { env: baseEnv(db, extra) });
  return JSON.parse(stdout) as SeededShops;
}

export async function checkThroughCli(db: DatabaseEnv, shopId: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run("node", [join(ROOT, "server/dist/cli/main.js"), "check", "--shop", shopId], { env: baseEnv(db) });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

export type ServerProcess = {
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
};

export async function spawnServer(db: DatabaseEnv, extra: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn("node", [join(ROOT, "server/dist/main.js")], { env: baseEnv(db, extra), stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)\/graphql","msg":"listening"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
    void exited.then(() => reject(new Error(`server exited before listening:\n${output}`)));
  });
  return { url, child, exited, output: () => output };
}
