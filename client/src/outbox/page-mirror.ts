import { type OutboxCounts, type OutboxRecord, type PagedRecord, countRecords } from "./outbox-record";

const encoder = new TextEncoder();

/**
 * What the outbox's pages held when last read or written, indexed for the synchronous readers
 * (records in order, lookup by id, counts and bytes kept per page so no change costs a full scan).
 */
export class PageMirror<R extends PagedRecord = OutboxRecord> {
  private readonly pages = new Map<number, R[]>();
  private readonly pageById = new Map<string, number>();
  private readonly bytes = new Map<number, number>();
  private readonly counts = new Map<number, OutboxCounts>();
  lastPage: number;

  constructor(public firstPage: number) {
    this.lastPage = firstPage - 1;
  }

  page(page: number): R[] | undefined {
    return this.pages.get(page);
  }

  remember(page: number, records: R[], json: string): void {
    for (const record of this.pages.get(page) ?? []) this.pageById.delete(record.clientTempId);
    for (const record of records) this.pageById.set(record.clientTempId, page);
    this.pages.set(page, records);
    this.bytes.set(page, encoder.encode(json).length);
    this.counts.set(page, countRecords(records));
    if (page > this.lastPage) this.lastPage = page;
  }

  forget(page: number): void {
    for (const record of this.pages.get(page) ?? []) this.pageById.delete(record.clientTempId);
    this.pages.delete(page);
    this.bytes.delete(page);
    this.counts.delete(page);
  }

  pagesHolding(ids: Set<string>): number[] {
    const pages = new Set<number>();
    for (const id of ids) {
      const page = this.pageById.get(id);
      if (page !== undefined) pages.add(page);
    }
    return [...pages].sort((a, b) => a - b);
  }

  records(): R[] {
    const out: R[] = [];
    for (let page = this.firstPage; page <= this.lastPage; page++) out.push(...(this.pages.get(page) ?? []));
    return out;
  }

  find(clientTempId: string): R | undefined {
    const page = this.pageById.get(clientTempId);
    return page === undefined ? undefined : this.pages.get(page)?.find((r) => r.clientTempId === clientTempId);
  }

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
}
