import type { ApolloClient, InMemoryCache } from "@apollo/client/core";
import { CatalogChangesDocument } from "../generated/graphql";
import type { StatusStore } from "../status";
import { writeCatalog } from "./catalog-cache";
import type { CatalogPage, CatalogProduct, CatalogStore } from "./catalog-store";

export type CatalogSyncDeps = {
  store: CatalogStore;
  apollo: ApolloClient<unknown>;
  cache: InMemoryCache;
  status: StatusStore;
  pageSize: number;
  now: () => number;
  offlineCardLimit: () => number | null;
};

/**
 * Keeps the stored catalogue current: pages through the server's change feed from the stored
 * cursor until `hasMore` is false, storing each page before asking for the next, then shows the
 * changes in the cache and the status (`catalogSyncedAt`, `catalogVersion`). One pull at a time;
 * a failure (offline) keeps what is stored and is tried again at the next trigger.
 */
export class CatalogSync {
  private running: Promise<boolean> | null = null;

  constructor(private readonly deps: CatalogSyncDeps) {}

  /** Resolves true when the catalogue is current, false when the server could not be asked. */
  pull(): Promise<boolean> {
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  /** After a start: the stored catalogue into a cache that lacks it (purged, or never persisted). */
  showStored(): void {
    if (this.deps.store.syncedAt === null) return;
    writeCatalog(this.deps.cache, this.deps.store, "all", this.deps.offlineCardLimit());
    this.publish();
  }

  private async run(): Promise<boolean> {
    const changed = new Map<string, CatalogProduct>();
    const first = this.deps.store.cursor === null;
    try {
      for (let more = true; more; ) {
        const page = await this.fetchPage();
        await this.deps.store.apply(page, new Date(this.deps.now()));
        for (const p of page.products) changed.set(p.id, p);
        for (const a of page.archived) if (a.kind === "PRODUCT") changed.set(a.id, this.deps.store.product(a.id)!);
        more = page.hasMore;
      }
    } catch (error) {
      // The server no longer reads our cursor (its key rotated with JWT_SECRET): pull everything again, once.
      if (isRefusedCursor(error) && this.deps.store.cursor !== null) {
        await this.deps.store.forgetCursor();
        return this.run();
      }
      return false;
    }
    const list = [...changed.values()].filter(Boolean);
    if (first || list.length > 0) writeCatalog(this.deps.cache, this.deps.store, first ? "all" : list, this.deps.offlineCardLimit());
    this.publish();
    return true;
  }

  private async fetchPage(): Promise<CatalogPage> {
    const { data } = await this.deps.apollo.query({
      query: CatalogChangesDocument,
      variables: { since: this.deps.store.cursor, first: this.deps.pageSize },
      fetchPolicy: "no-cache",
    });
    const page = data.catalogChanges;
    return {
      products: page.products.map((p) => ({ id: p.id, name: p.name, sku: p.sku, price: p.price, stock: p.stock, lowStockThreshold: p.lowStockThreshold, archivedAt: p.archivedAt ?? null })),
      customers: page.customers.map((c) => ({ id: c.id, name: c.name, email: c.email ?? null, phone: c.phone ?? null })),
      archived: page.archived.map((a) => ({ id: a.id, kind: a.kind })),
      cursor: page.cursor,
      hasMore: page.hasMore,
    };
  }

  private publish(): void {
    this.deps.status.update({ catalogSyncedAt: this.deps.store.syncedAt, catalogVersion: this.deps.store.cursor });
  }
}

/** A 400 on `since`: the cursor is not one this server can read (BAD_REQUEST naming since). */
type GraphQLErrorLike = { message?: string; extensions?: { code?: unknown } };

function isRefusedCursor(error: unknown): boolean {
  const e = error as { graphQLErrors?: GraphQLErrorLike[]; networkError?: { result?: { errors?: GraphQLErrorLike[] } } };
  const errors = [...(e?.graphQLErrors ?? []), ...(e?.networkError?.result?.errors ?? [])];
  return errors.some((g) => g.extensions?.code === "BAD_REQUEST" && /\bsince\b/.test(g.message ?? ""));
}
