import { prepareTillGroup, type TillGroup } from "./storm-tills";
import type { StormWorkerGo, StormWorkerInit, StormWorkerMessage } from "./storm-types";

/**
 * The entry of a forked storm worker (tools/dist/tools/bench/storm/storm-worker.js): `init` records
 * its tills' sales offline and answers `ready`; `go` brings them online and answers `done` with a
 * report per till. Any failure is answered `failed`, and the worker exits when the parent leaves.
 */
let group: TillGroup | undefined;

const send = (message: StormWorkerMessage) => process.send?.(message);

process.on("message", (message: StormWorkerInit | StormWorkerGo) => {
  void handle(message).catch((error: unknown) => send({ kind: "failed", error: (error as Error)?.stack ?? String(error) }));
});
process.on("disconnect", () => process.exit(0));

async function handle(message: StormWorkerInit | StormWorkerGo): Promise<void> {
  if (message.kind === "init") {
    group = await prepareTillGroup(message);
    send({ kind: "ready", recorded: group.recorded });
    return;
  }
  if (!group) throw new Error("go before init");
  const { reports, cpuMs } = await group.storm(message);
  await group.dispose();
  send({ kind: "done", reports, cpuMs });
}
