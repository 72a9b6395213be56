import { type StormTill, stormTill } from "./storm-till";
import type { StormTillReport, StormWorkerGo, StormWorkerInit } from "./storm-types";

/**
 * A group of tills in one process: a worker's share of the storm, or the whole of a small one run
 * in-process (the jest test). The same code either way; only the messages around it differ.
 */
export type TillGroup = { recorded: number; storm(go: StormWorkerGo): Promise<GroupReport>; dispose(): Promise<void> };

/** The tills' reports, and the CPU this process spent during the storm (is the load generator the bottleneck?). */
export type GroupReport = { reports: StormTillReport[]; cpuMs: number };

/** Creates the group's clients and records every till's sales while it is offline. */
export async function prepareTillGroup(init: StormWorkerInit): Promise<TillGroup> {
  const tills: StormTill[] = init.tills.map((spec) => stormTill(init.url, spec, init.batchSize, init.timeoutMs));
  await Promise.all(tills.map((till) => till.recordOffline(init.salesPerTill)));
  return {
    recorded: tills.length * init.salesPerTill,
    async storm(go) {
      const cpu = process.cpuUsage();
      const reports = await Promise.all(tills.map((till) => comeOnlineInWindow(till, go)));
      const used = process.cpuUsage(cpu);
      return { reports, cpuMs: Math.round((used.user + used.system) / 1000) };
    },
    dispose: async () => void (await Promise.all(tills.map((till) => till.dispose()))),
  };
}

/** Each till comes online at its own random moment of the window that starts at `startAt`. */
async function comeOnlineInWindow(till: StormTill, go: StormWorkerGo): Promise<StormTillReport> {
  const at = go.startAt + Math.random() * go.windowMs;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
  return till.comeOnline(go.startAt);
}
