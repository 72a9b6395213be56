import type { ApolloClient } from "@apollo/client/core";
import { type TokenSource, createApolloClient } from "./apollo";
import { CacheSync } from "./cache/cache-sync";
import { createCache } from "./cache/create-cache";
import { LocalOverlay } from "./cache/local-overlay";
import { restorePersistedCache } from "./cache/persisted-cache";
import { Outbox } from "./outbox/outbox";
import { type OutboxRecord, type PendingRecord, isUnsynced, toPending } from "./outbox/outbox-record";
import { type SaleInput, buildOfflineSale } from "./record-sale";
import { type PosSyncStatus, type StatusListener, StatusStore } from "./status";
import type { KeyValueStorage } from "./storage/storage";
import { type BackoffOptions, DEFAULT_BACKOFF } from "./sync/backoff";
import { type LockManagerLike, createLocks } from "./sync/locks";
import { SyncEngine, type SyncReport } from "./sync/sync-engine";
import { type SyncTransport, apolloSyncTransport } from "./sync/sync-transport";
import { browserSaysOnline, installPageLifecycle, installTriggers } from "./sync/triggers";

export type PosClientOptions = {
  /** The GraphQL endpoint, e.g. https://pos.example.com/graphql */
  uri: string;
  shopId: string;
  /** Called before every request, so a refreshed token is used from the next attempt on. */
  getToken: TokenSource;
  /** Durable storage for the outbox and the persisted cache (IndexedDbStorage, FileStorage, MemoryStorage). */
  storage: KeyValueStorage;
  fetch?: typeof fetch;
  /** Sales per sync request (default 100; the server accepts up to its MAX_SALES_PER_REQUEST). */
  batchSize?: number;
  /** Automatic sync interval (default 30 s; 0 turns it off). */
  syncIntervalMs?: number;
  /** Sync this long after a sale is recorded (default 500 ms; false turns it off). */
  syncAfterRecordMs?: number | false;
  /** Sync as soon as the client is ready (default true). */
  syncOnStart?: boolean;
  /** How long synced records stay in the outbox (default 7 days). */
  retentionMs?: number;
  backoff?: Partial<BackoffOptions>;
  /** Your own cache version: change it to drop persisted caches written by an incompatible app. */
  cacheVersion?: string;
  /** Bytes of persisted cache above which persisting stops (default 5 MB; the outbox is unaffected). */
  cacheMaxSize?: number | false;
  /**
   * The persisted cache is written this long after the last cache write (default 1000 ms). Every
   * write restarts the wait, so under steady writes call `flushCache()` (the client already does on
   * `pagehide`, on the page turning hidden and in `dispose()`).
   */
  cacheDebounceMs?: number;
  /** Web Locks manager; defaults to `navigator.locks` where present. `null` keeps locks in this page. */
  locks?: LockManagerLike | null;
  /** Listen to the browser's online/offline events (default true where they exist). */
  networkEvents?: boolean;
  /** Replaces the GraphQL transport of the sync (tests, custom protocols). */
  transport?: (apollo: ApolloClient<unknown>) => SyncTransport;
  now?: () => number;
  random?: () => number;
};

export type PosClient = {
  apollo: ApolloClient<unknown>;
  /** Resolves when the persisted cache is restored and the outbox loaded. */
  ready: Promise<void>;
  /** Stores the sale durably, then shows it in the cache. Resolves only once it is on disk. */
  recordSale(sale: SaleInput): Promise<PendingRecord>;
  sync(): Promise<SyncReport>;
  /** Sales not yet on the server (pending, syncing, failed), in recorded order. */
  pendingSales(): OutboxRecord[];
  /** Every record of the outbox, synced ones included until pruned. */
  outboxRecords(): OutboxRecord[];
  /** Writes the persisted Apollo cache to storage now, instead of after the debounce. */
  flushCache(): Promise<void>;
  /** Bytes the outbox occupies in storage. */
  outboxBytes(): number;
  status(): PosSyncStatus;
  subscribe(listener: StatusListener): () => void;
  /** Sends a failed sale again on the next sync (which starts at once). */
  retry(clientTempId: string): Promise<void>;
  /**
   * Drops a failed or pending sale (or a synced record) from the outbox and the cache. Rejects with
   * `SaleInFlightError`, keeping the sale, if it is in a sync request at that moment.
   */
  discard(clientTempId: string): Promise<void>;
  /**
   * Stops syncing, persists the cache once more and stops the Apollo client. It does not close the
   * `storage` you passed in: you opened it, you close it (after `dispose()` resolves).
   */
  dispose(): Promise<void>;
};

const DAY = 24 * 60 * 60 * 1000;

/** `discard()` of a sale that is in a sync request right now: it was kept; discard it after the sync. */
export class SaleInFlightError extends Error {
  constructor(readonly clientTempId: string) {
    super(`sale ${clientTempId} is being sent right now and was kept; discard it after the sync`);
    this.name = "SaleInFlightError";
  }
}

export function createPosClient(options: PosClientOptions): PosClient {
  const now = options.now ?? Date.now;
  const prefix = `pos-sync:${options.shopId}:`;
  const locks = createLocks(options.locks === null ? undefined : (options.locks ?? undefined));
  const overlay = new LocalOverlay();
  const cache = createCache(overlay);
  const cacheSync = new CacheSync(cache, overlay);
  const apollo = createApolloClient({ uri: options.uri, shopId: options.shopId, getToken: options.getToken, cache, fetch: options.fetch });
  const status = new StatusStore(browserSaysOnline());
  const retentionMs = options.retentionMs ?? 7 * DAY;
  let outbox!: Outbox;
  let engine!: SyncEngine;
  let removeTriggers = () => {};
  let recordTimer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;

  const refreshCounts = () => status.update(outbox.counts());
  const onRecordsChanged = (records: OutboxRecord[], synced: Parameters<CacheSync["reconcile"]>[0]) => {
    if (synced.length) cacheSync.reconcile(synced);
    const rest = records.filter((r) => r.state !== "synced");
    if (rest.length) cacheSync.showUnsynced(rest);
    refreshCounts();
  };

  const persistorReady = restorePersistedCache(cache, options.storage, {
    key: `${prefix}apollo-cache`,
    appVersion: options.cacheVersion,
    maxSize: options.cacheMaxSize,
    debounceMs: options.cacheDebounceMs,
  });
  const flushCache = async () => {
    const persistor = await persistorReady;
    await persistor.persist();
  };
  const removePageLifecycle = installPageLifecycle(() => void flushCache().catch(() => undefined));

  const ready = (async () => {
    await persistorReady;
    outbox = await Outbox.open(options.storage, { prefix, locks });
    await outbox.prune(now(), retentionMs);
    cacheSync.repair(outbox.all());
    refreshCounts();
    engine = new SyncEngine({
      outbox,
      send: (options.transport ?? apolloSyncTransport)(apollo),
      onRecordsChanged,
      status,
      locks,
      lockName: `${prefix}sync`,
      batchSize: options.batchSize ?? 100,
      backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
      now,
      random: options.random ?? Math.random,
    });
    removeTriggers = installTriggers({
      intervalMs: options.syncIntervalMs ?? 30_000,
      events: options.networkEvents,
      onInterval: () => engine.trigger(),
      onOnline: () => {
        status.update({ online: true });
        engine.networkBack();
      },
      onOffline: () => status.update({ online: false }),
    });
    if (options.syncOnStart ?? true) engine.trigger();
  })();

  const afterSync = async (report: SyncReport) => {
    if (report.kind === "done" && !disposed) {
      await outbox.prune(now(), retentionMs);
      refreshCounts();
    }
    return report;
  };

  return {
    apollo,
    ready,
    async recordSale(input) {
      await ready;
      if (disposed) throw new Error("this POS client was disposed");
      const sale = buildOfflineSale(input, new Date(now()), () => crypto.randomUUID());
      const record = await outbox.append(sale);
      cacheSync.showUnsynced([record]);
      refreshCounts();
      const delay = options.syncAfterRecordMs ?? 500;
      if (delay !== false && !recordTimer) {
        recordTimer = setTimeout(() => {
          recordTimer = null;
          engine.trigger();
        }, delay);
        (recordTimer as { unref?: () => void }).unref?.();
      }
      return record;
    },
    async sync() {
      await ready;
      return afterSync(await engine.sync());
    },
    pendingSales: () => (outbox ? outbox.all().filter(isUnsynced) : []),
    outboxRecords: () => (outbox ? outbox.all() : []),
    flushCache,
    outboxBytes: () => (outbox ? outbox.byteSize() : 0),
    status: () => status.get(),
    subscribe: (listener) => status.subscribe(listener),
    async retry(clientTempId) {
      await ready;
      const changed = await outbox.update([clientTempId], (r) => (r.state === "failed" ? toPending(r) : r));
      onRecordsChanged(changed, []);
      void engine.sync().then(afterSync);
    },
    async discard(clientTempId) {
      await ready;
      // Decided on the record as the outbox update reads it under the lock, not on a snapshot: a
      // sync (here or in another tab) may have taken it since.
      let removed: OutboxRecord | null = null;
      const kept = await outbox.update([clientTempId], (r) => {
        if (r.state === "syncing") return r;
        removed = r;
        return null;
      });
      refreshCounts();
      if (kept.length > 0) throw new SaleInFlightError(clientTempId);
      if (removed && isUnsynced(removed)) cacheSync.forget([clientTempId]);
    },
    async dispose() {
      disposed = true;
      if (recordTimer) clearTimeout(recordTimer);
      removeTriggers();
      removePageLifecycle();
      await ready.catch(() => undefined);
      await engine?.dispose();
      const persistor = await persistorReady.catch(() => undefined);
      if (persistor) {
        await persistor.persist().catch(() => undefined);
        persistor.remove();
      }
      apollo.stop();
    },
  };
}
