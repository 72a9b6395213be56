import type { InMemoryCache } from "@apollo/client/core";
import { type ProductFieldsFragment, ProductFieldsFragmentDoc, ProductsDocument, ShopSettingsDocument } from "../generated/graphql";
import type { CatalogProduct, CatalogStore } from "./catalog-store";

type ProductEntity = ProductFieldsFragment & { __typename: "Product" };

function entityOf(p: CatalogProduct): ProductEntity {
  return { __typename: "Product", id: p.id, name: p.name, sku: p.sku, price: p.price, stock: p.stock, lowStockThreshold: p.lowStockThreshold };
}

/**
 * Puts the stored catalogue where the till's queries read: every product as a `Product` entity,
 * and the `products` list itself. After a delta only the changed products are written, and the
 * list only when products came or went. The server's stock is written as it is; the cache's read
 * function still takes this till's unsynced sales off it.
 */
export function writeCatalog(cache: InMemoryCache, store: CatalogStore, changed: readonly CatalogProduct[] | "all", offlineCardLimit: number | null): void {
  cache.batch({
    update: (c) => {
      const listed = c.readQuery({ query: ProductsDocument });
      const products = store.products();
      const membershipChanged = changed === "all" || !listed || changed.some((p) => p.archivedAt !== null || !listed.products.some((l) => l.id === p.id));
      if (membershipChanged) {
        const shopSettings = c.readQuery({ query: ShopSettingsDocument })?.shopSettings ?? { __typename: "ShopSettings" as const, offlineCardLimit };
        c.writeQuery({ query: ProductsDocument, data: { products: products.map(entityOf), shopSettings } });
        return;
      }
      for (const p of changed) c.writeFragment({ id: c.identify({ __typename: "Product", id: p.id }), fragment: ProductFieldsFragmentDoc, data: entityOf(p) });
    },
  });
}

/** The products list is missing from the cache (a purged or first cache): is it? */
export function cacheLacksProducts(cache: InMemoryCache): boolean {
  return cache.readQuery({ query: ProductsDocument }) === null;
}
