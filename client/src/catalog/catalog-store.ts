import type { KeyValueStorage } from "../storage/storage";

export type CatalogProduct = { id: string; name: string; sku: string; price: number; stock: number; lowStockThreshold: number; archivedAt: string | null };
export type CatalogCustomer = { id: string; name: string; email: string | null; phone: string | null };
/** One page of the server's change feed (`catalogChanges`), as the client applies it. */
export type CatalogPage = {
  products: CatalogProduct[];
  customers: CatalogCustomer[];
  archived: { id: string; kind: "PRODUCT" | "CUSTOMER" }[];
  cursor: string;
  hasMore: boolean;
};

type Meta = { version: 1; cursor: string | null; syncedAt: string | null };
type Bucket = { products: Record<string, CatalogProduct>; customers: Record<string, CatalogCustomer> };

/** Products and customers are spread over this many storage values, so a delta rewrites a few, not the whole catalogue. */
const BUCKETS = 64;
const encoder = new TextEncoder();

/**
 * The shop's catalogue on the till: every product (price, stock, threshold, archived state) and
 * customer, in the client's storage, brought up to date page by page from the change feed. A page
 * is written bucket by bucket and the cursor last, so a crash mid-page leaves the old cursor and
 * the page is applied again (upserts: the same result). Everything is also held in memory for the
 * synchronous readers (the cache's read functions, search).
 */
export class CatalogStore {
  private meta: Meta = { version: 1, cursor: null, syncedAt: null };
  private readonly buckets: Bucket[] = Array.from({ length: BUCKETS }, () => ({ products: {}, customers: {} }));
  private readonly sizes = new Map<number, number>();

  private constructor(
    private readonly storage: KeyValueStorage,
    private readonly prefix: string,
  ) {}

  static async open(storage: KeyValueStorage, prefix: string): Promise<CatalogStore> {
    const store = new CatalogStore(storage, prefix);
    await store.load();
    return store;
  }

  get cursor(): string | null {
    return this.meta.cursor;
  }

  get syncedAt(): string | null {
    return this.meta.syncedAt;
  }

  /** Sellable products (not archived), by name. */
  products(): CatalogProduct[] {
    return this.buckets
      .flatMap((b) => Object.values(b.products))
      .filter((p) => p.archivedAt === null)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  product(id: string): CatalogProduct | undefined {
    return this.buckets[bucketOf(id)].products[id];
  }

  /** Name or SKU contains the text, any case: the server's `products(search)` rule, offline. */
  search(text: string): CatalogProduct[] {
    const needle = text.trim().toLowerCase();
    return needle ? this.products().filter((p) => p.name.toLowerCase().includes(needle) || p.sku.toLowerCase().includes(needle)) : this.products();
  }

  /** Applies one page of the feed and stores it; `now` stamps `syncedAt` when it was the last page. */
  async apply(page: CatalogPage, now: Date): Promise<void> {
    const touched = new Set<number>();
    for (const product of page.products) touched.add(this.put("products", product));
    for (const customer of page.customers) touched.add(this.put("customers", customer));
    for (const gone of page.archived) touched.add(this.archive(gone, now));
    for (const n of touched) await this.writeBucket(n);
    this.meta = { version: 1, cursor: page.cursor, syncedAt: page.hasMore ? this.meta.syncedAt : now.toISOString() };
    await this.storage.setItem(`${this.prefix}catalog:meta`, JSON.stringify(this.meta));
  }

  /** The next pull starts from the beginning (pages are upserts, so what is stored stays until replaced). */
  async forgetCursor(): Promise<void> {
    this.meta = { ...this.meta, cursor: null };
    await this.storage.setItem(`${this.prefix}catalog:meta`, JSON.stringify(this.meta));
  }

  /** Bytes the catalogue occupies in storage. */
  byteSize(): number {
    let total = 0;
    for (const size of this.sizes.values()) total += size;
    return total;
  }

  private put<K extends keyof Bucket>(kind: K, entry: Bucket[K][string]): number {
    const n = bucketOf(entry.id);
    (this.buckets[n][kind] as Record<string, Bucket[K][string]>)[entry.id] = entry;
    return n;
  }

  /** A tombstone: a product stays (a late sale of it may still arrive) but is no longer sold; a customer goes. */
  private archive(gone: CatalogPage["archived"][number], now: Date): number {
    const n = bucketOf(gone.id);
    const bucket = this.buckets[n];
    if (gone.kind === "CUSTOMER") delete bucket.customers[gone.id];
    else if (bucket.products[gone.id]) bucket.products[gone.id] = { ...bucket.products[gone.id], archivedAt: bucket.products[gone.id].archivedAt ?? now.toISOString() };
    return n;
  }

  private async writeBucket(n: number): Promise<void> {
    const json = JSON.stringify(this.buckets[n]);
    await this.storage.setItem(`${this.prefix}catalog:bucket:${n}`, json);
    this.sizes.set(n, encoder.encode(json).length);
  }

  private async load(): Promise<void> {
    const raw = await this.storage.getItem(`${this.prefix}catalog:meta`);
    if (!raw) return;
    this.meta = JSON.parse(raw) as Meta;
    for (let n = 0; n < BUCKETS; n++) {
      const json = await this.storage.getItem(`${this.prefix}catalog:bucket:${n}`);
      if (!json) continue;
      this.buckets[n] = JSON.parse(json) as Bucket;
      this.sizes.set(n, encoder.encode(json).length);
    }
  }
}

/** FNV-1a of the id, into BUCKETS. */
function bucketOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % BUCKETS;
}
