import { type ChildProcess, spawn } from "node:child_process";
import { request } from "node:http";
import { randomUUID } from "node:crypto";
import { createServer, connect } from "node:net";
import { Client } from "pg";
import { type DatabaseEnv, type ServerProcess, spawnServer } from "../support/server-process";

/**
 * A cluster as production starts it (`node server/dist/main.js` with WEB_CONCURRENCY), plain HTTP
 * on connections of their own (the cluster hands out connections, not requests, so a keep-alive
 * client would talk to one worker only), and a private redis-server to stop and start again.
 */
export type Answer = { status: number; worker: string; headers: Record<string, string | string[] | undefined>; body: string };

export async function spawnCluster(db: DatabaseEnv, workers: number, extra: Record<string, string> = {}): Promise<ServerProcess> {
  const cluster = await spawnServer(db, { WEB_CONCURRENCY: String(workers), ...extra });
  // spawnServer returns when the first worker listens; the rest must listen too before requests can spread.
  await logged(cluster, '"msg":"all workers listening"', 1);
  return cluster;
}

/** One request on a connection opened for it alone; bounded by `timeoutMs`. */
export function fresh(url: string, method: string, path: string, headers: Record<string, string> = {}, body?: unknown, timeoutMs = 15_000): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method, agent: false, headers: { ...headers, ...(payload ? { "content-type": "application/json" } : {}) } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, worker: String(res.headers["x-possync-worker"]), headers: res.headers, body: text }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(payload);
  });
}

/** Waits until `count` lines of the output contain `text`. */
export async function logged(s: ServerProcess, text: string, count: number, withinMs = 20_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (linesWith(s, text).length < count) {
    if (Date.now() > deadline) throw new Error(`"${text}" logged ${linesWith(s, text).length} times, not ${count}, in ${withinMs} ms:\n${s.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function linesWith(s: ServerProcess, text: string): string[] {
  return s.output().split("\n").filter((line) => line.includes(text));
}

/** Worker id to pid, from the primary's "worker started" lines (the latest per id). */
export function workerPids(s: ServerProcess): Map<string, number> {
  const pids = new Map<string, number>();
  for (const line of linesWith(s, '"msg":"worker started"')) {
    const entry = JSON.parse(line) as { worker: number; workerPid: number };
    pids.set(String(entry.worker), entry.workerPid);
  }
  return pids;
}

/** A sample of the aggregated exposition, by its full name with labels (0 when absent). */
export function sample(metrics: string, nameWithLabels: string): number {
  const line = metrics.split("\n").find((l) => l.startsWith(`${nameWithLabels} `));
  return line ? Number(line.split(" ")[1]) : 0;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export type PrivateRedis = { url: string; start(): Promise<void>; kill(): Promise<void> };

/** redis-server on its own port, no persistence: killed, it comes back empty, as after a crash. */
export function privateRedis(port: number): PrivateRedis {
  let child: ChildProcess | undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
      await answersPing(port, 10_000);
    },
    async kill() {
      const dying = child;
      if (!dying || dying.exitCode !== null) return;
      const gone = new Promise((r) => dying.once("exit", r));
      dying.kill("SIGKILL");
      await gone;
    },
  };
}

async function answersPing(port: number, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const pong = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => socket.write("PING\r\n"));
      socket.setTimeout(500, () => (socket.destroy(), resolve(false)));
      socket.on("data", (data) => (socket.destroy(), resolve(data.toString().startsWith("+PONG"))));
      socket.on("error", () => resolve(false));
    });
    if (pong) return;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A database of its own on the run's PostgreSQL server (TEST_DATABASE_URL), empty: what a first start sees. */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `possync_cluster_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: process.env.TEST_DATABASE_URL, connectionTimeoutMillis: 5_000 });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
