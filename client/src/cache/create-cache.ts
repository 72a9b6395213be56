import { type FieldPolicy, InMemoryCache, type Reference } from "@apollo/client/core";
import type { CatalogStore } from "../catalog/catalog-store";
import type { LocalOverlay } from "./local-overlay";

/** The stored catalogue, once the session has opened it (the cache exists before). */
export type CatalogView = { store: CatalogStore | null };

type StoredSalePage = { __typename?: string; items: Reference[]; nextCursor: string | null };

/**
 * The InMemoryCache with the type policies that show the outbox in every query:
 * - the first page of `sales` starts with this till's unsynced sales (`Sale:<clientTempId>`),
 *   even after the page is refetched from a server that does not know them yet, and is made of
 *   them alone while no server page is cached;
 * - a product's `stock` is the stored (server) figure minus what unsynced sales took;
 * - `Sale.syncState` / `Sale.syncError` (`@client`) tell pending, syncing, failed and synced apart;
 * - `products(search)` and `product(id)` not in the cache are answered from the stored catalogue.
 */
export function createCache(overlay: LocalOverlay, catalog: CatalogView = { store: null }): InMemoryCache {
  return new InMemoryCache({
    typePolicies: {
      Query: {
        fields: {
          ...catalogFields(catalog),
          sales: {
            read(existing: StoredSalePage | undefined, { args, toReference, canRead }) {
              overlay.version();
              if (args?.after) return existing;
              const present = new Set(existing?.items.map((ref) => ref.__ref));
              const local = overlay
                .unsyncedNewestFirst()
                .map((id) => toReference({ __typename: "Sale", id }))
                .filter((ref): ref is Reference => !!ref && !present.has(ref.__ref) && canRead(ref));
              // No server page cached (first load offline, a purged cache): the unsynced sales alone,
              // so they show. Apollo then counts the list as cached: cache-first would not fetch it
              // while sales are pending, which is why lists use cache-and-network.
              if (!existing) return local.length ? { __typename: "SalePage", items: local, nextCursor: null } : undefined;
              return local.length ? { ...existing, items: [...local, ...existing.items] } : existing;
            },
          },
        },
      },
      Product: {
        fields: {
          stock: {
            read(stock: number | undefined, { readField }) {
              overlay.version();
              const id = readField<string>("id");
              return typeof stock === "number" && id ? stock - overlay.deductionFor(id) : stock;
            },
          },
        },
      },
      Sale: {
        fields: {
          syncState: {
            read(_, { readField }) {
              overlay.version();
              return overlay.stateOf(readField<string | null>("clientTempId"));
            },
          },
          syncError: {
            read(_, { readField }) {
              overlay.version();
              return overlay.errorOf(readField<string | null>("clientTempId"));
            },
          },
        },
      },
    },
  });
}

/**
 * Offline, or with a purged cache: a search, or one product, answered from the stored catalogue
 * (its products are written into the cache as entities when it opens).
 */
function catalogFields(catalog: CatalogView): { products: FieldPolicy<readonly Reference[]>; product: FieldPolicy<Reference> } {
  return {
    products: {
      // A list from the server (or the catalogue) replaces the one before: lists are not merged.
      merge: false,
      keyArgs: ["search"],
      read(existing: readonly Reference[] | undefined, { args, toReference, canRead }) {
        if (existing !== undefined || !catalog.store || catalog.store.syncedAt === null) return existing;
        const refs = catalog.store.search(typeof args?.search === "string" ? args.search : "").map((p) => toReference({ __typename: "Product", id: p.id }));
        return refs.every((ref) => ref && canRead(ref)) ? (refs as readonly Reference[]) : undefined;
      },
    },
    product: {
      read(existing: Reference | undefined, { args, toReference, canRead }) {
        if (existing !== undefined || !catalog.store || typeof args?.id !== "string" || !catalog.store.product(args.id)) return existing;
        const ref = toReference({ __typename: "Product", id: args.id });
        return ref && canRead(ref) ? ref : undefined;
      },
    },
  };
}
