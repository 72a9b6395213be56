import type { InMemoryCache, NormalizedCacheObject } from "@apollo/client/core";
import type { CachePersistor } from "apollo3-cache-persist";
import { type PersistedCacheOptions, restorePersistedCache } from "../cache/persisted-cache";
import type { KeyValueStorage } from "../storage/storage";
import { installPageLifecycle } from "../sync/triggers";

/**
 * The persisted Apollo cache over its lifetime: restored first, written on the debounce, flushed on
 * demand and when the page may go away, and written one last time when the client stops.
 */
export class CachePersistence {
  /** Resolves once the persisted cache is restored (or dropped as incompatible). */
  readonly restored: Promise<CachePersistor<NormalizedCacheObject>>;
  private readonly removePageLifecycle: () => void;

  constructor(cache: InMemoryCache, storage: KeyValueStorage, options: PersistedCacheOptions) {
    this.restored = restorePersistedCache(cache, storage, options);
    this.removePageLifecycle = installPageLifecycle(() => void this.flush().catch(() => undefined));
  }

  async flush(): Promise<void> {
    const persistor = await this.restored;
    await persistor.persist();
  }

  /** No more persisting on page events (the client is stopping). */
  stopListening(): void {
    this.removePageLifecycle();
  }

  /** Persists once more, then stops persisting; a storage that fails then is ignored (the outbox is the record). */
  async close(): Promise<void> {
    this.stopListening();
    const persistor = await this.restored.catch(() => undefined);
    if (!persistor) return;
    await persistor.persist().catch(() => undefined);
    persistor.remove();
  }
}
