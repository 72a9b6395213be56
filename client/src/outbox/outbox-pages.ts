import type { KeyValueStorage } from "../storage/storage";
import type { OutboxCounts, OutboxRecord, PagedRecord } from "./outbox-record";
import { PageMirror } from "./page-mirror";

type Head = { version: 1; firstPage: number };

/**
 * The storage layout of the outbox, and an in-memory mirror of it. Keys: `<prefix>head` (the first
 * live page; absent means 0) and `<prefix>page:<n>` (a JSON array of the records whose
 * `seq / pageSize` is n). Pages are created in increasing order and removed only from the front,
 * after the head has moved past them, so loading reads from the head until the first missing page.
 * Callers hold the outbox lock around every method that writes.
 */
export class OutboxPages<R extends PagedRecord = OutboxRecord> {
  private mirror = new PageMirror<R>(0);

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly prefix: string,
    private readonly pageSize: number,
  ) {}

  pageOf(seq: number): number {
    return Math.floor(seq / this.pageSize);
  }

  /**
   * Reads every page again into a new mirror, then swaps it in: the synchronous readers see the
   * whole outbox as it was until the reload is complete, never a half-read one.
   */
  async loadAll(): Promise<void> {
    const rawHead = await this.storage.getItem(`${this.prefix}head`);
    const head: Head = rawHead ? (JSON.parse(rawHead) as Head) : { version: 1, firstPage: 0 };
    const fresh = new PageMirror<R>(head.firstPage);
    await this.readForward(fresh, head.firstPage);
    this.mirror = fresh;
  }

  /** The seq for a new record: after the last one stored by anyone (pages another tab added included). */
  async nextSeq(): Promise<number> {
    const { mirror } = this;
    await this.readForward(mirror, Math.max(mirror.lastPage, mirror.firstPage));
    const last = mirror.page(mirror.lastPage);
    if (!last) return mirror.firstPage * this.pageSize;
    return last.length > 0 ? last[last.length - 1].seq + 1 : mirror.lastPage * this.pageSize;
  }

  /** Read-modify-write of one page, from storage (not the mirror), as a single atomic setItem. */
  async modifyPage(page: number, change: (records: R[]) => R[]): Promise<void> {
    const raw = await this.storage.getItem(this.keyOf(page));
    const current = raw ? (JSON.parse(raw) as R[]) : [];
    const next = change(current).sort((a, b) => a.seq - b.seq);
    const json = JSON.stringify(next);
    await this.storage.setItem(this.keyOf(page), json);
    this.mirror.remember(page, next, json);
  }

  /** Applies `change` to the named records (null removes one), page by page; answers them as stored, in seq order. */
  async updateRecords(wanted: Set<string>, change: (record: R) => R | null): Promise<R[]> {
    const out: R[] = [];
    for (const page of this.pagesHolding(wanted)) {
      await this.modifyPage(page, (records) =>
        records.flatMap((record) => {
          if (!wanted.has(record.clientTempId)) return [record];
          const next = change(record);
          if (next) out.push(next);
          return next ? [next] : [];
        }),
      );
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  pagesHolding(ids: Set<string>): number[] {
    return this.mirror.pagesHolding(ids);
  }

  /** Moves the head past empty leading pages (always keeping the last), then deletes them. */
  async dropEmptyLeadingPages(): Promise<void> {
    const { mirror } = this;
    let first = mirror.firstPage;
    while (first < mirror.lastPage && (mirror.page(first)?.length ?? 0) === 0) {
      const raw = await this.storage.getItem(this.keyOf(first));
      if (raw && (JSON.parse(raw) as unknown[]).length > 0) break;
      first++;
    }
    if (first === mirror.firstPage) return;
    const head: Head = { version: 1, firstPage: first };
    await this.storage.setItem(`${this.prefix}head`, JSON.stringify(head));
    for (let page = mirror.firstPage; page < first; page++) {
      await this.storage.removeItem(this.keyOf(page));
      mirror.forget(page);
    }
    mirror.firstPage = first;
  }

  records(): R[] {
    return this.mirror.records();
  }

  find(clientTempId: string): R | undefined {
    return this.mirror.find(clientTempId);
  }

  /** Records per state, summed over pages. */
  tally(): OutboxCounts {
    return this.mirror.tally();
  }

  byteSize(): number {
    return this.mirror.byteSize();
  }

  private async readForward(into: PageMirror<R>, from: number): Promise<void> {
    for (let page = from; ; page++) {
      const raw = await this.storage.getItem(this.keyOf(page));
      if (raw === null) return;
      into.remember(page, JSON.parse(raw) as R[], raw);
    }
  }

  private keyOf(page: number): string {
    return `${this.prefix}page:${page}`;
  }
}
