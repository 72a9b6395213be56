import "reflect-metadata";
import cluster from "node:cluster";
import { ConfigError, loadConfig } from "./config/config";
import { runPrimary } from "./cluster/primary";
import { createLogger } from "./observability/logger";
import { serveClusterWorker, serveSingleProcess } from "./runtime/serve";

/**
 * The production entry (`npm start`). WEB_CONCURRENCY=1, the default, is one process and no
 * cluster at all; N > 1 makes this process the cluster's primary, which forks N workers that run
 * this same file and serve.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  if (config.webConcurrency === 1) return serveSingleProcess(config, logger);
  if (cluster.isPrimary) return runPrimary(config, logger.child({ role: "primary" }));
  const workerId = cluster.worker?.id ?? 0;
  return serveClusterWorker(config, logger.child({ worker: workerId }), workerId);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : (error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
