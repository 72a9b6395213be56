import { makeVar } from "@apollo/client/core";
import type { LocalSyncState } from "../generated/graphql";
import type { EntityRecord } from "../outbox/entity-record";
import { type OutboxRecord, assertNever } from "../outbox/outbox-record";

type Unsynced = { seq: number; state: Exclude<LocalSyncState, "synced">; syncError: string | null; lines: { productId: string; quantity: number }[] };

/**
 * What the outbox knows and the server does not yet: unsynced sales (for the `sales` list and the
 * `syncState @client` field) and the stock they take off each product. The cache's read functions
 * consult it; `version` is a reactive variable, so bumping it re-renders every query that read it.
 */
export class LocalOverlay {
  readonly version = makeVar(0);
  private readonly unsynced = new Map<string, Unsynced>();
  private readonly deductions = new Map<string, number>();
  /** Units that unsynced restocking refunds put back, per product. */
  private readonly restocks = new Map<string, Map<string, number>>();
  private newestFirst: string[] | null = null;

  /**
   * Takes in the records' current states; synced ones leave the overlay. Queries re-read only if a
   * state, an error or the set of unsynced sales changed (a resend of pending sales changes none).
   */
  apply(records: Iterable<OutboxRecord>): void {
    let changed = false;
    for (const record of records) {
      const next = shownState(record);
      const previous = this.unsynced.get(record.clientTempId);
      if (previous ? next && previous.state === next.state && previous.syncError === next.syncError : !next) continue;
      this.drop(record.clientTempId);
      if (next) this.add(record, next.state, next.syncError);
      changed = true;
    }
    if (changed) this.changed();
  }

  /** For sales discarded from the outbox. */
  remove(ids: Iterable<string>): void {
    for (const id of ids) this.drop(id);
    this.changed();
  }

  stateOf(clientTempId: string | null | undefined): LocalSyncState {
    return (clientTempId && this.unsynced.get(clientTempId)?.state) || "synced";
  }

  errorOf(clientTempId: string | null | undefined): string | null {
    return (clientTempId && this.unsynced.get(clientTempId)?.syncError) || null;
  }

  /** Units the till's unsynced sales took off, less those its unsynced restocking refunds put back. */
  deductionFor(productId: string): number {
    return this.soldFor(productId) - this.restockedFor(productId);
  }

  /** Takes in refunds' current states: an unsynced one with `restock` puts its units back until the server has it. */
  applyRefunds(records: Iterable<EntityRecord>): void {
    let changed = false;
    for (const record of records) {
      if (record.kind !== "refund") continue;
      const holds = record.state !== "synced" && record.refund.restock;
      if (holds === this.restocks.has(record.clientTempId)) continue;
      if (holds) this.restocks.set(record.clientTempId, new Map(record.refund.lines.map((l) => [l.productId, l.quantity])));
      else this.restocks.delete(record.clientTempId);
      changed = true;
    }
    if (changed) this.changed();
  }

  /** Refunds discarded from the outbox: their units no longer count as put back. */
  forgetRefunds(ids: Iterable<string>): void {
    let changed = false;
    for (const id of ids) changed = this.restocks.delete(id) || changed;
    if (changed) this.changed();
  }

  private soldFor(productId: string): number {
    return this.deductions.get(productId) ?? 0;
  }

  private restockedFor(productId: string): number {
    let units = 0;
    for (const lines of this.restocks.values()) units += lines.get(productId) ?? 0;
    return units;
  }

  /** Ids of unsynced sales, most recently recorded first. */
  unsyncedNewestFirst(): string[] {
    this.newestFirst ??= [...this.unsynced.entries()].sort((a, b) => b[1].seq - a[1].seq).map(([id]) => id);
    return this.newestFirst;
  }

  private add(record: OutboxRecord, state: Unsynced["state"], syncError: string | null): void {
    const lines = record.sale.items.map(({ productId, quantity }) => ({ productId, quantity }));
    this.unsynced.set(record.clientTempId, { seq: record.seq, state, syncError, lines });
    for (const line of lines) this.deductions.set(line.productId, this.soldFor(line.productId) + line.quantity);
  }

  private drop(clientTempId: string): void {
    const previous = this.unsynced.get(clientTempId);
    if (!previous) return;
    this.unsynced.delete(clientTempId);
    for (const line of previous.lines) {
      const left = this.soldFor(line.productId) - line.quantity;
      if (left === 0) this.deductions.delete(line.productId);
      else this.deductions.set(line.productId, left);
    }
  }

  private changed(): void {
    this.newestFirst = null;
    this.version(this.version() + 1);
  }
}

function shownState(record: OutboxRecord): Pick<Unsynced, "state" | "syncError"> | null {
  switch (record.state) {
    case "pending":
    case "syncing":
      return { state: record.state, syncError: null };
    case "failed":
      return { state: "failed", syncError: record.syncError };
    case "synced":
      return null;
    default:
      return assertNever(record);
  }
}
