import type { ApolloClient, InMemoryCache } from "@apollo/client/core";
import type { CatalogView } from "../cache/create-cache";
import { cacheLacksProducts } from "../catalog/catalog-cache";
import { CatalogStore } from "../catalog/catalog-store";
import { CatalogSync } from "../catalog/catalog-sync";
import type { StatusStore } from "../status";
import type { KeyValueStorage } from "../storage/storage";
import type { Settings } from "./options";
import type { ShopSettingsStore } from "./shop-settings";

export type CatalogWiringDeps = {
  storage: KeyValueStorage;
  settings: Settings;
  catalog: CatalogView;
  cache: InMemoryCache;
  apollo: ApolloClient<unknown>;
  status: StatusStore;
  shopSettings: ShopSettingsStore;
};

/**
 * The stored catalogue and what keeps it current: opened with the session (shown in the cache at
 * once if the cache lacks the products, e.g. purged past its size cap), pulled on start, after
 * each sync that reached the server and every `catalogIntervalMs`, and on `refreshCatalog()`.
 */
export class CatalogWiring {
  private stopListening: () => void = () => {};
  private timer: ReturnType<typeof setInterval> | null = null;

  private constructor(private readonly sync: CatalogSync) {}

  static async open(deps: CatalogWiringDeps): Promise<CatalogWiring> {
    const store = await CatalogStore.open(deps.storage, deps.settings.prefix);
    deps.catalog.store = store;
    const sync = new CatalogSync({
      store,
      apollo: deps.apollo,
      cache: deps.cache,
      status: deps.status,
      pageSize: deps.settings.catalogPageSize,
      now: deps.settings.now,
      offlineCardLimit: () => deps.shopSettings.current(deps.apollo).offlineCardLimit,
    });
    if (cacheLacksProducts(deps.cache)) sync.showStored();
    else deps.status.update({ catalogSyncedAt: store.syncedAt, catalogVersion: store.cursor });
    const wiring = new CatalogWiring(sync);
    if (deps.settings.catalogIntervalMs !== false) wiring.startTriggers(deps.status, deps.settings.catalogIntervalMs);
    return wiring;
  }

  refresh(): Promise<boolean> {
    return this.sync.pull();
  }

  dispose(): void {
    this.stopListening();
    if (this.timer) clearInterval(this.timer);
  }

  private startTriggers(status: StatusStore, intervalMs: number): void {
    void this.sync.pull();
    let seen = status.get().lastSyncedAt;
    this.stopListening = status.subscribe((next) => {
      if (next.lastSyncedAt === seen) return;
      seen = next.lastSyncedAt;
      void this.sync.pull();
    });
    if (intervalMs > 0) {
      this.timer = setInterval(() => void this.sync.pull(), intervalMs);
      (this.timer as { unref?: () => void }).unref?.();
    }
  }
}
