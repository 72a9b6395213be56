import { randomUUID } from "node:crypto";

/**
 * The soak's memory of what it sent and what the server answered, so that at the end every
 * acknowledged sale can be found exactly once in the database and no answer contradicts another.
 */
export type SoakProduct = { id: string; price: number };

export type SoakSale = {
  clientTempId: string;
  items: { productId: string; quantity: number; price: number; discountPercent: number }[];
  totalAmount: number;
  createdAt: string;
};

type Acked = { serverId: string; orderId: string; created: number };

export type AnswerCounts = { created: number; existing: number; saleErrors: number; contradictions: number };

export class SoakLedger {
  /** Every sale ever put in a request body, by clientTempId: a replay resends the same payload. */
  private readonly sent = new Map<string, SoakSale>();
  private readonly sentOrder: string[] = [];
  private readonly acked = new Map<string, Acked>();
  /** Problems seen in answers, a few kept for the report. */
  readonly problems: string[] = [];

  constructor(private readonly products: SoakProduct[]) {}

  /** `count` sales, each new with probability 1 - duplicateRatio, otherwise a replay of an earlier one. */
  nextBatch(count: number, duplicateRatio: number): SoakSale[] {
    const batch: SoakSale[] = [];
    for (let i = 0; i < count; i++) {
      const replay = this.sentOrder.length > 0 && Math.random() < duplicateRatio;
      batch.push(replay ? this.sent.get(this.sentOrder[Math.floor(Math.random() * this.sentOrder.length)])! : this.newSale());
    }
    return batch;
  }

  private newSale(): SoakSale {
    const lines = 1 + Math.floor(Math.random() * 3);
    const items = Array.from({ length: lines }, () => {
      const p = this.products[Math.floor(Math.random() * this.products.length)];
      return { productId: p.id, quantity: 1 + Math.floor(Math.random() * 3), price: p.price, discountPercent: 0 };
    });
    const cents = items.reduce((sum, i) => sum + Math.round(i.price * 100) * i.quantity, 0);
    const sale = { clientTempId: randomUUID(), items, totalAmount: cents / 100, createdAt: new Date().toISOString() };
    this.sent.set(sale.clientTempId, sale);
    this.sentOrder.push(sale.clientTempId);
    return sale;
  }

  /** Records one answer; a serverId or orderId that differs from an earlier answer's is a contradiction. */
  record(
    synced: { clientTempId: string; serverId: string; orderId: string; status: string }[],
    errors: { clientTempId: string; error: string }[],
  ): AnswerCounts {
    const counts: AnswerCounts = { created: 0, existing: 0, saleErrors: errors.length, contradictions: 0 };
    for (const e of errors) this.problem(`sale ${e.clientTempId} rejected: ${e.error}`);
    for (const s of synced) {
      const created = s.status.toLowerCase() === "created";
      if (created) counts.created++;
      else counts.existing++;
      const earlier = this.acked.get(s.clientTempId);
      if (!earlier) {
        this.acked.set(s.clientTempId, { serverId: s.serverId, orderId: s.orderId, created: created ? 1 : 0 });
        continue;
      }
      if (created) earlier.created++;
      if (earlier.serverId !== s.serverId || earlier.orderId !== s.orderId || earlier.created > 1) {
        counts.contradictions++;
        this.problem(`sale ${s.clientTempId} answered ${s.serverId}/${s.orderId} (${s.status}) after ${earlier.serverId}/${earlier.orderId}`);
      }
    }
    return counts;
  }

  problem(message: string): void {
    if (this.problems.length < 10) this.problems.push(message);
  }

  /** Sales sent whose answer never came (in flight when the load stopped): the outbox would resend them. */
  unacknowledgedSales(): SoakSale[] {
    return [...this.sent.values()].filter((s) => !this.acked.has(s.clientTempId));
  }

  get sentCount(): number {
    return this.sent.size;
  }

  /** Compares the shop's rows with what was sent and acknowledged. */
  reconcile(rows: { client_temp_id: string; id: string }[]): { lost: number; doubled: number; phantom: number; unacknowledged: number } {
    const byTempId = new Map<string, string[]>();
    for (const r of rows) byTempId.set(r.client_temp_id, [...(byTempId.get(r.client_temp_id) ?? []), r.id]);
    let lost = 0;
    let doubled = 0;
    let phantom = 0;
    for (const [tempId, ack] of this.acked) {
      const ids = byTempId.get(tempId) ?? [];
      if (ids.length === 0 || !ids.includes(ack.serverId)) {
        lost++;
        this.problem(`acknowledged sale ${tempId} (${ack.serverId}) is not in the database`);
      }
    }
    for (const [tempId, ids] of byTempId) {
      if (ids.length > 1) {
        doubled++;
        this.problem(`sale ${tempId} is recorded ${ids.length} times`);
      }
      if (!this.sent.has(tempId)) phantom++;
    }
    const unacknowledged = [...this.sent.keys()].filter((id) => !this.acked.has(id)).length;
    return { lost, doubled, phantom, unacknowledged };
  }
}
