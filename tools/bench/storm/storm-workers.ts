import { type ChildProcess, fork } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type GroupReport, prepareTillGroup } from "./storm-tills";
import type { StormWorkerGo, StormWorkerInit, StormWorkerMessage } from "./storm-types";

/** A share of the tills, in a forked process or in this one: prepared (sales recorded), then stormed. */
export type StormGroup = { recorded: number; storm(go: StormWorkerGo, timeoutMs: number): Promise<GroupReport>; stop(): void };

const WORKER = join(__dirname, "storm-worker.js");

/** Forks a compiled worker (tools/dist) and has it record its tills' sales; bounded by `timeoutMs`. */
export async function forkedGroup(init: StormWorkerInit, timeoutMs: number): Promise<StormGroup> {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`npm run build:tools\`, or use workers: 0 (in-process)`);
  const child = fork(WORKER, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const stop = () => void (child.connected ? child.disconnect() : child.kill());
  try {
    child.send(init);
    const ready = await nextMessage(child, timeoutMs, "recording the sales offline");
    if (ready.kind !== "ready") throw new Error(`storm worker: expected ready, got ${ready.kind}`);
    return {
      recorded: ready.recorded,
      async storm(go, stormTimeoutMs) {
        child.send(go);
        const done = await nextMessage(child, stormTimeoutMs, "the storm");
        if (done.kind !== "done") throw new Error(`storm worker: expected done, got ${done.kind}`);
        stop();
        return { reports: done.reports, cpuMs: done.cpuMs };
      },
      stop,
    };
  } catch (error) {
    stop();
    throw error;
  }
}

/** The same group in this process (no build needed: the jest test runs it so). */
export async function inProcessGroup(init: StormWorkerInit): Promise<StormGroup> {
  const group = await prepareTillGroup(init);
  return {
    recorded: group.recorded,
    async storm(go, stormTimeoutMs) {
      const report = await within(group.storm(go), stormTimeoutMs, "the storm");
      await group.dispose();
      return report;
    },
    stop: () => void group.dispose().catch(() => undefined),
  };
}

function nextMessage(child: ChildProcess, timeoutMs: number, what: string): Promise<StormWorkerMessage> {
  return within(
    new Promise<StormWorkerMessage>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`storm worker exited (${code}) during ${what}`));
      child.once("exit", onExit);
      child.once("message", (message: StormWorkerMessage) => {
        child.off("exit", onExit);
        if (message.kind === "failed") reject(new Error(`storm worker failed during ${what}: ${message.error}`));
        else resolve(message);
      });
    }),
    timeoutMs,
    what,
  );
}

export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
