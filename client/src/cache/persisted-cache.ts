import type { InMemoryCache, NormalizedCacheObject } from "@apollo/client/core";
import { CachePersistor } from "apollo3-cache-persist";
import type { KeyValueStorage } from "../storage/storage";

/**
 * Bump when the cache's shape changes incompatibly (type policies, key fields, the meaning of a
 * local field): a persisted cache written under another version is purged instead of restored.
 */
// 2: `products` keyed by its `search` argument (the catalogue answers searches offline).
export const CACHE_SCHEMA_VERSION = "pos-sync-cache-2";

export type PersistedCacheOptions = {
  key: string;
  /** Added to CACHE_SCHEMA_VERSION, for the app's own incompatible changes. */
  appVersion?: string;
  /** Bytes; above it apollo3-cache-persist stops persisting (the outbox is unaffected). */
  maxSize?: number | false;
  debounceMs?: number;
};

/**
 * Restores the persisted Apollo cache before anything queries it, and keeps persisting it on writes.
 * An incompatible or unreadable persisted cache is dropped: the cache is only a copy of the server
 * (plus what the outbox can rebuild), so starting empty loses nothing.
 */
export async function restorePersistedCache(
  cache: InMemoryCache,
  storage: KeyValueStorage,
  options: PersistedCacheOptions,
): Promise<CachePersistor<NormalizedCacheObject>> {
  const persistor = new CachePersistor<NormalizedCacheObject>({
    cache,
    storage,
    key: options.key,
    maxSize: options.maxSize ?? 5 * 1024 * 1024,
    debounce: options.debounceMs ?? 1000,
    trigger: "write",
  });
  const versionKey = `${options.key}:version`;
  const version = options.appVersion ? `${CACHE_SCHEMA_VERSION}+${options.appVersion}` : CACHE_SCHEMA_VERSION;
  const storedVersion = await storage.getItem(versionKey);
  if (storedVersion === version) {
    try {
      await persistor.restore();
      return persistor;
    } catch {
      cache.restore({});
    }
  }
  await persistor.purge();
  await storage.setItem(versionKey, version);
  return persistor;
}
