import type { KeyValueStorage } from "../storage/storage";
import { type OutboxCounts, type OutboxRecord, countRecords } from "./outbox-record";

type Head = { version: 1; firstPage: number };

/**
 * The storage layout of the outbox, and an in-memory mirror of it. Keys: `<prefix>head` (the first
 * live page; absent means 0) and `<prefix>page:<n>` (a JSON array of the records whose
 * `seq / pageSize` is n). Pages are created in increasing order and removed only from the front,
 * after the head has moved past them, so loading reads from the head until the first missing page.
 * Callers hold the outbox lock around every method that writes.
 */
export class OutboxPages {
  private readonly mirror = new Map<number, OutboxRecord[]>();
  private readonly pageById = new Map<string, number>();
  private readonly bytes = new Map<number, number>();
  private readonly counts = new Map<number, OutboxCounts>();
  private readonly encoder = new TextEncoder();
  private firstPage = 0;
  private lastPage = -1;

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly prefix: string,
    private readonly pageSize: number,
  ) {}

  pageOf(seq: number): number {
    return Math.floor(seq / this.pageSize);
  }

  async loadAll(): Promise<void> {
    const rawHead = await this.storage.getItem(`${this.prefix}head`);
    const head: Head = rawHead ? (JSON.parse(rawHead) as Head) : { version: 1, firstPage: 0 };
    this.mirror.clear();
    this.pageById.clear();
    this.bytes.clear();
    this.counts.clear();
    this.firstPage = head.firstPage;
    this.lastPage = head.firstPage - 1;
    await this.readForward(head.firstPage);
  }

  /** The seq for a new record: after the last one stored by anyone (pages another tab added included). */
  async nextSeq(): Promise<number> {
    await this.readForward(Math.max(this.lastPage, this.firstPage));
    const last = this.mirror.get(this.lastPage);
    if (!last) return this.firstPage * this.pageSize;
    return last.length > 0 ? last[last.length - 1].seq + 1 : this.lastPage * this.pageSize;
  }

  /** Read-modify-write of one page, from storage (not the mirror), as a single atomic setItem. */
  async modifyPage(page: number, change: (records: OutboxRecord[]) => OutboxRecord[]): Promise<void> {
    const raw = await this.storage.getItem(this.keyOf(page));
    const current = raw ? (JSON.parse(raw) as OutboxRecord[]) : [];
    const next = change(current).sort((a, b) => a.seq - b.seq);
    const json = JSON.stringify(next);
    await this.storage.setItem(this.keyOf(page), json);
    this.remember(page, next, json);
  }

  pagesHolding(ids: Set<string>): number[] {
    const pages = new Set<number>();
    for (const id of ids) {
      const page = this.pageById.get(id);
      if (page !== undefined) pages.add(page);
    }
    return [...pages].sort((a, b) => a - b);
  }

  /** Moves the head past empty leading pages (always keeping the last), then deletes them. */
  async dropEmptyLeadingPages(): Promise<void> {
    let first = this.firstPage;
    while (first < this.lastPage && (this.mirror.get(first)?.length ?? 0) === 0) {
      const raw = await this.storage.getItem(this.keyOf(first));
      if (raw && (JSON.parse(raw) as unknown[]).length > 0) break;
      first++;
    }
    if (first === this.firstPage) return;
    const head: Head = { version: 1, firstPage: first };
    await this.storage.setItem(`${this.prefix}head`, JSON.stringify(head));
    for (let page = this.firstPage; page < first; page++) {
      await this.storage.removeItem(this.keyOf(page));
      this.mirror.delete(page);
      this.bytes.delete(page);
      this.counts.delete(page);
    }
    this.firstPage = first;
  }

  records(): OutboxRecord[] {
    const out: OutboxRecord[] = [];
    for (let page = this.firstPage; page <= this.lastPage; page++) out.push(...(this.mirror.get(page) ?? []));
    return out;
  }

  find(clientTempId: string): OutboxRecord | undefined {
    const page = this.pageById.get(clientTempId);
    return page === undefined ? undefined : this.mirror.get(page)?.find((r) => r.clientTempId === clientTempId);
  }

  /** Records per state, summed over pages (kept per page, so no full scan per change). */
  tally(): OutboxCounts {
    const total = { pending: 0, synced: 0, failed: 0 };
    for (const c of this.counts.values()) {
      total.pending += c.pending;
      total.synced += c.synced;
      total.failed += c.failed;
    }
    return total;
  }

  byteSize(): number {
    let total = 0;
    for (const size of this.bytes.values()) total += size;
    return total;
  }

  private async readForward(from: number): Promise<void> {
    for (let page = from; ; page++) {
      const raw = await this.storage.getItem(this.keyOf(page));
      if (raw === null) return;
      this.remember(page, JSON.parse(raw) as OutboxRecord[], raw);
    }
  }

  private remember(page: number, records: OutboxRecord[], json: string): void {
    for (const record of this.mirror.get(page) ?? []) this.pageById.delete(record.clientTempId);
    for (const record of records) this.pageById.set(record.clientTempId, page);
    this.mirror.set(page, records);
    this.bytes.set(page, this.encoder.encode(json).length);
    this.counts.set(page, countRecords(records));
    if (page > this.lastPage) this.lastPage = page;
  }

  private keyOf(page: number): string {
    return `${this.prefix}page:${page}`;
  }
}
