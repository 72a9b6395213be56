import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { repoRoot } from "../repo-root";

/**
 * The production entry point (`node server/dist/main.js`) as a child process, so its RSS is the
 * server's alone (the load generator lives in the parent).
 */
export type ServerProcess = {
  url: string;
  pid: number;
  /** Current and peak (VmHWM) resident set size, in MB, from /proc/<pid>/status. */
  memory(): { rssMb: number; peakMb: number };
  /** Samples RSS every `everyMs` until stopped; returns the highest sample. */
  sampleRss(everyMs: number): { stop(): number };
  stop(): Promise<void>;
};

export async function startServerProcess(opts: {
  databaseUrl: string;
  jwtSecret: string;
  cpuProfileDir?: string;
}): Promise<ServerProcess> {
  const port = await freePort();
  const entry = resolve(repoRoot(), "server/dist/main.js");
  const nodeArgs = opts.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${opts.cpuProfileDir}`] : [];
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: opts.databaseUrl,
      HOST: "127.0.0.1",
      PORT: String(port),
      JWT_SECRET: opts.jwtSecret,
      LOG_LEVEL: "warn",
      SEED_DEMO: "never",
      // Every simulated till shares one token and one loopback address: per-till limits would
      // only measure the limiter. Production keeps its defaults.
      RATE_LIMIT_PER_TOKEN: "0",
      RATE_LIMIT_PER_IP: "0",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  let stopping = false;
  const exited = new Promise<void>((done) =>
    child.once("exit", (code, signal) => {
      // An exit nobody asked for (a crash, a kill from outside) is said at once, not left for a later ECONNREFUSED.
      if (!stopping) process.stderr.write(`[bench] server process ${child.pid} exited unasked (code ${code}, signal ${signal})\n`);
      done();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(url, child);
  const pid = child.pid!;
  const memory = () => readMemory(pid);
  return {
    url,
    pid,
    memory,
    sampleRss(everyMs) {
      let peak = memory().rssMb;
      const timer = setInterval(() => {
        peak = Math.max(peak, memory().rssMb);
      }, everyMs);
      return {
        stop() {
          clearInterval(timer);
          return Math.max(peak, memory().rssMb);
        },
      };
    },
    stop: async () => {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

function readMemory(pid: number): { rssMb: number; peakMb: number } {
  let status = "";
  try {
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    // The server has exited: NaN, and the phase's own requests then say why it failed.
    return { rssMb: NaN, peakMb: NaN };
  }
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
}

async function waitUntilReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error("server did not become ready within 30 s");
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port"))));
    });
  });
}
