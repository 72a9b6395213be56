import type { RequestContext } from "../auth/request-context";
import type { PreparedSale } from "./prepared-sale";
import { answerReplay } from "./replay";
import type { SaleOutcome } from "./sync.types";

/** Requests of at most this many sales may share a transaction; it also caps a shared batch. */
const COALESCE_UP_TO = 100;
/** Transactions one shop and user may have in flight at once through the coalescer. */
const WRITERS_PER_KEY = 2;

export type BatchWriter = (ctx: RequestContext, sales: PreparedSale[]) => Promise<SaleOutcome[]>;

type Waiting = { sales: PreparedSale[]; resolve(outcomes: SaleOutcome[]): void; reject(error: unknown): void };
type Queue = { ctx: RequestContext; waiting: Waiting[]; writers: number };

/**
 * Group commit for small batches: while a shop's (and user's) transaction is in flight, further
 * small requests of the same shop and user wait and are then written together, set-based, in one
 * transaction, instead of each paying its own round trips and commit. An idle shop's request is
 * written at once, so nothing waits for a timer. A clientTempId sent by two waiting requests is
 * answered by the replay rule, exactly as if they had come one after the other.
 */
export class WriteCoalescer {
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly write: BatchWriter) {}

  submit(ctx: RequestContext, sales: PreparedSale[]): Promise<SaleOutcome[]> {
    if (sales.length === 0) return Promise.resolve([]);
    if (sales.length > COALESCE_UP_TO) return this.write(ctx, sales);
    // Per credential: sales written together share one ctx, so a till's sales never get a user's or another till's.
    const key = `${ctx.shopId}/${ctx.userId ?? ""}/${ctx.tillId ?? ""}`;
    let queue = this.queues.get(key);
    if (!queue) this.queues.set(key, (queue = { ctx, waiting: [], writers: 0 }));
    const answer = new Promise<SaleOutcome[]>((resolve, reject) => queue.waiting.push({ sales, resolve, reject }));
    if (queue.writers < WRITERS_PER_KEY) void this.drain(key, queue);
    return answer;
  }

  private async drain(key: string, queue: Queue): Promise<void> {
    queue.writers++;
    try {
      while (queue.waiting.length > 0) {
        let take = 1;
        let count = queue.waiting[0].sales.length;
        while (take < queue.waiting.length && count + queue.waiting[take].sales.length <= COALESCE_UP_TO) {
          count += queue.waiting[take++].sales.length;
        }
        await this.writeGroup(queue.ctx, queue.waiting.splice(0, take));
      }
    } finally {
      queue.writers--;
      if (queue.writers === 0 && queue.waiting.length === 0) this.queues.delete(key);
    }
  }

  private async writeGroup(ctx: RequestContext, group: Waiting[]): Promise<void> {
    const unique: PreparedSale[] = [];
    const slot = new Map<string, number>();
    for (const waiting of group) {
      for (const sale of waiting.sales) {
        if (!slot.has(sale.clientTempId)) slot.set(sale.clientTempId, unique.push(sale) - 1);
      }
    }
    let written: SaleOutcome[];
    try {
      written = await this.write(ctx, unique);
    } catch (error) {
      for (const waiting of group) waiting.reject(error);
      return;
    }
    for (const waiting of group) {
      waiting.resolve(
        waiting.sales.map((sale) => {
          const k = slot.get(sale.clientTempId)!;
          return unique[k] === sale ? written[k] : answerReplay(sale, { fingerprint: unique[k].fingerprint, outcome: written[k] });
        }),
      );
    }
  }
}
