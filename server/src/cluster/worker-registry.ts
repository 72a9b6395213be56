import { Registry } from "prom-client";
import { ServiceUnavailableError } from "../shared/errors";
import { type Answer, type Ask, COLLECT_TIMEOUT_MS, type Collect, type Local, MESSAGES, isMessage } from "./cluster-metrics";

/** The asking worker waits a little longer than the primary waits for the others. */
const ASK_TIMEOUT_MS = COLLECT_TIMEOUT_MS + 1_000;

type Waiting = { resolve(text: string): void; reject(error: Error): void; timer: NodeJS.Timeout };

/**
 * A cluster worker's registry (see cluster-metrics.ts). Its metrics are registered and collected
 * as in a single process, and sent to the primary as JSON when it collects them; only its
 * exposition, what GET /metrics sends, is the cluster's aggregate, fetched from the primary.
 */
export class ClusterWorkerRegistry extends Registry {
  private nextId = 0;
  private readonly waiting = new Map<number, Waiting>();

  constructor() {
    super();
    process.on("message", (message: unknown) => {
      if (isMessage<Answer>(message, MESSAGES.answer)) this.settle(message);
      else if (isMessage<Collect>(message, MESSAGES.collect)) void this.sendLocal(message.id);
    });
  }

  override metrics(): Promise<string> {
    const id = this.nextId++;
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => this.settle({ type: MESSAGES.answer, id, error: `no answer within ${ASK_TIMEOUT_MS} ms` }), ASK_TIMEOUT_MS);
      this.waiting.set(id, { resolve, reject, timer });
      if (!process.send || !process.connected) return this.settle({ type: MESSAGES.answer, id, error: "the primary is gone" });
      const ask: Ask = { type: MESSAGES.ask, id };
      process.send(ask, (error: Error | null) => {
        if (error) this.settle({ type: MESSAGES.answer, id, error: error.message });
      });
    });
  }

  private async sendLocal(id: number): Promise<void> {
    let answer: Local;
    try {
      answer = { type: MESSAGES.local, id, metrics: await this.getMetricsAsJSON() };
    } catch (error) {
      answer = { type: MESSAGES.local, id, error: error instanceof Error ? error.message : String(error) };
    }
    if (process.connected) process.send?.(answer, (error: Error | null) => void error);
  }

  private settle(answer: Answer): void {
    const waiting = this.waiting.get(answer.id);
    if (!waiting) return;
    this.waiting.delete(answer.id);
    clearTimeout(waiting.timer);
    if (answer.text !== undefined) waiting.resolve(answer.text);
    // A 503 with Retry-After (the app's error mapping): the next scrape will most likely succeed.
    else waiting.reject(new ServiceUnavailableError(`Cluster metrics unavailable (${answer.error ?? "no answer"}); retry.`));
  }
}
