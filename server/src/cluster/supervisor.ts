import cluster, { type Worker } from "node:cluster";
import type { Logger } from "pino";
import type { PrimaryMetrics } from "./cluster-metrics";
import type { RestartBudget } from "./restart-budget";

/**
 * The primary's workers: forks `size` of them, replaces one that exits unexpectedly (within the
 * restart budget), and on stop forwards the signal to each and reports whether all exited 0.
 */
export type SupervisorEvents = {
  /** The first time every worker listens: the port they share. */
  allListening(port: number): void;
  /** The restart budget is spent: the caller stops the rest and exits non-zero. */
  gaveUp(): void;
};

export class WorkerSupervisor {
  private readonly live = new Map<number, Worker>();
  private readonly listening = new Set<number>();
  private readonly restarts = new Set<NodeJS.Timeout>();
  private announced = false;
  private stopping = false;
  private stopSignal: NodeJS.Signals | undefined;
  private clean = true;
  private onAllExited: (() => void) | undefined;

  constructor(
    private readonly size: number,
    private readonly budget: RestartBudget,
    private readonly logger: Logger,
    private readonly metrics: PrimaryMetrics,
    private readonly events: SupervisorEvents,
  ) {
    cluster.on("listening", (worker, address) => this.listened(worker, address.port));
    cluster.on("exit", (worker, code, signal) => this.exited(worker, code, signal));
  }

  start(): void {
    for (let i = 0; i < this.size; i++) this.fork();
  }

  /** Forwards `signal` to every worker (each drains as a single process would); true when all exit 0. */
  stop(signal: NodeJS.Signals): Promise<boolean> {
    this.stopping = true;
    this.stopSignal = signal;
    for (const timer of this.restarts) clearTimeout(timer);
    this.restarts.clear();
    const allExited = new Promise<void>((resolve) => (this.onAllExited = resolve));
    for (const worker of this.live.values()) worker.process.kill(signal);
    this.checkAllExited();
    return allExited.then(() => this.clean);
  }

  /** The workers that listen (and so have their metrics registered): the ones a scrape asks. */
  serving(): Worker[] {
    return [...this.listening].flatMap((id) => this.live.get(id) ?? []);
  }

  /** The last resort past the shutdown deadline. */
  killAll(): void {
    for (const worker of this.live.values()) worker.process.kill("SIGKILL");
  }

  private fork(): void {
    const worker = cluster.fork();
    this.live.set(worker.id, worker);
    this.metrics.workers.set(this.live.size);
    this.logger.info({ worker: worker.id, workerPid: worker.process.pid }, "worker started");
  }

  private listened(worker: Worker, port: number): void {
    this.listening.add(worker.id);
    this.logger.info({ worker: worker.id, workerPid: worker.process.pid, port }, "worker listening");
    if (!this.announced && this.listening.size === this.size) {
      this.announced = true;
      this.events.allListening(port);
    }
  }

  private exited(worker: Worker, code: number | null, signal: string | null): void {
    const wasServing = this.listening.delete(worker.id);
    this.live.delete(worker.id);
    this.metrics.workers.set(this.live.size);
    const fields = { worker: worker.id, workerPid: worker.process.pid, code, signal };
    if (this.stopping) {
      // A worker still loading when the signal came had nothing to drain: dying of it is a clean stop.
      if (code !== 0 && !(signal === this.stopSignal && !wasServing)) this.clean = false;
      this.logger.info(fields, "worker exited");
      return this.checkAllExited();
    }
    const delay = this.budget.next(Date.now());
    if (delay === null) {
      this.logger.error(fields, "worker exited unexpectedly, and too many have in a short time: giving up");
      this.clean = false;
      return this.events.gaveUp();
    }
    this.logger.error({ ...fields, restartInMs: delay }, "worker exited unexpectedly: replacing it");
    this.metrics.restarts.inc();
    const timer = setTimeout(() => {
      this.restarts.delete(timer);
      if (!this.stopping) this.fork();
    }, delay);
    this.restarts.add(timer);
  }

  private checkAllExited(): void {
    if (this.stopping && this.live.size === 0) this.onAllExited?.();
  }
}
