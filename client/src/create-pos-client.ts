import type { ApolloClient } from "@apollo/client/core";
import { createApolloClient } from "./apollo";
import { CacheSync } from "./cache/cache-sync";
import { createCache } from "./cache/create-cache";
import { LocalOverlay } from "./cache/local-overlay";
import { CachePersistence } from "./pos-client/cache-persistence";
import { type PosClientOptions, resolveSettings } from "./pos-client/options";
import type { PosClient } from "./pos-client/pos-client";
import { PosSession } from "./pos-client/session";
import { StatusStore } from "./status";
import { createLocks, lockScopeOf } from "./sync/locks";
import { apolloSyncTransport } from "./sync/sync-transport";
import { browserSaysOnline } from "./sync/triggers";

export type { PosClientOptions } from "./pos-client/options";
export { type PosClient, SaleInFlightError } from "./pos-client/pos-client";

/**
 * Wires the parts: the Apollo client over a cache that shows the outbox, the persisted cache, the
 * status, and the session (outbox, sync engine, triggers) opened once the persisted cache is back.
 */
export function createPosClient(options: PosClientOptions): PosClient {
  const settings = resolveSettings(options);
  const overlay = new LocalOverlay();
  const cache = createCache(overlay);
  // Aborted by dispose(): a request still out must not keep the client from stopping.
  const stopRequests = new AbortController();
  const { uri, shopId, getToken, fetch } = options;
  const { requestTimeoutMs } = settings;
  const apollo = createApolloClient({ uri, shopId, getToken, fetch, cache, requestTimeoutMs, stopped: stopRequests.signal });
  const status = new StatusStore(browserSaysOnline());
  const persistence = new CachePersistence(cache, options.storage, {
    key: `${settings.prefix}apollo-cache`,
    appVersion: options.cacheVersion,
    maxSize: options.cacheMaxSize,
    debounceMs: options.cacheDebounceMs,
  });
  const opening = persistence.restored.then(() =>
    PosSession.open({
      storage: options.storage,
      settings,
      locks: createLocks(options.locks === null ? undefined : (options.locks ?? undefined), lockScopeOf(options.storage)),
      cacheSync: new CacheSync(cache, overlay),
      status,
      apollo,
      transport: options.transport ?? apolloSyncTransport,
      networkEvents: options.networkEvents,
    }),
  );
  return facade({ apollo, status, persistence, opening, stopRequests });
}

type Parts = {
  apollo: ApolloClient<unknown>;
  status: StatusStore;
  persistence: CachePersistence;
  opening: Promise<PosSession>;
  stopRequests: AbortController;
};

/** The public face: every method waits for the session; the synchronous readers answer empty until then. */
function facade({ apollo, status, persistence, opening, stopRequests }: Parts): PosClient {
  let session: PosSession | undefined;
  const ready = opening.then((opened) => void (session = opened));
  let disposed = false;
  return {
    apollo,
    ready,
    async recordSale(input) {
      const opened = await opening;
      if (disposed) throw new Error("this POS client was disposed");
      return opened.recordSale(input);
    },
    sync: async () => (await opening).sync(),
    pendingSales: () => session?.pendingSales() ?? [],
    outboxRecords: () => session?.outboxRecords() ?? [],
    flushCache: () => persistence.flush(),
    outboxBytes: () => session?.outboxBytes() ?? 0,
    status: () => status.get(),
    subscribe: (listener) => status.subscribe(listener),
    retry: async (clientTempId) => (await opening).retry(clientTempId),
    discard: async (clientTempId) => (await opening).discard(clientTempId),
    async dispose() {
      disposed = true;
      stopRequests.abort();
      persistence.stopListening();
      await (await opening.catch(() => undefined))?.dispose();
      await persistence.close();
      apollo.stop();
    },
  };
}
