import type { ApolloClient } from "@apollo/client/core";
import { createApolloClient } from "./apollo";
import type { TillAuth } from "./auth/till-auth";
import { CacheSync } from "./cache/cache-sync";
import { type CatalogView, createCache } from "./cache/create-cache";
import { LocalOverlay } from "./cache/local-overlay";
import { CachePersistence } from "./pos-client/cache-persistence";
import { wireAuth } from "./pos-client/auth-wiring";
import { type PosClientOptions, resolveSettings } from "./pos-client/options";
import type { PosClient } from "./pos-client/pos-client";
import { PosSession } from "./pos-client/session";
import { StatusStore } from "./status";
import { createLocks, lockScopeOf } from "./sync/locks";
import { apolloSyncTransport } from "./sync/sync-transport";
import { ShopSettingsStore } from "./pos-client/shop-settings";
import { browserSaysOnline } from "./sync/triggers";

export type { PosClientOptions, PosAuthOptions } from "./pos-client/options";
export { type PosClient, SaleInFlightError } from "./pos-client/pos-client";

/**
 * Wires the parts: the Apollo client over a cache that shows the outbox, the persisted cache, the
 * status, the till's credential (with `auth`), and the session (outbox, sync engine, triggers)
 * opened once the persisted cache and the credential are back.
 */
export function createPosClient(options: PosClientOptions): PosClient {
  const settings = resolveSettings(options);
  const overlay = new LocalOverlay();
  const catalog: CatalogView = { store: null };
  const cache = createCache(overlay, catalog);
  // Aborted by dispose(): a request still out must not keep the client from stopping.
  const stopRequests = new AbortController();
  const status = new StatusStore(browserSaysOnline());
  // One lock set for the outbox, the sync and the credential: shared by every client on the storage.
  const locks = createLocks(options.locks === null ? undefined : (options.locks ?? undefined), lockScopeOf(options.storage));
  const auth = wireAuth(options, settings, locks, status, stopRequests.signal);
  const { uri, shopId, fetch } = options;
  const getToken = auth?.getToken ?? options.getToken ?? (() => undefined);
  const { requestTimeoutMs } = settings;
  const stopped = stopRequests.signal;
  const apollo = createApolloClient({ uri, shopId, getToken, fetch, cache, requestTimeoutMs, stopped, afterRejection: auth?.afterRejection });
  const persistence = new CachePersistence(cache, options.storage, {
    key: `${settings.prefix}apollo-cache`,
    appVersion: options.cacheVersion,
    maxSize: options.cacheMaxSize,
    debounceMs: options.cacheDebounceMs,
  });
  const shopSettings = new ShopSettingsStore(options.storage, `${settings.prefix}shop-settings`);
  const opening = Promise.all([persistence.restored, auth?.tillAuth.loaded, shopSettings.load()]).then(() =>
    PosSession.open({
      storage: options.storage,
      settings,
      locks,
      cacheSync: new CacheSync(cache, overlay),
      status,
      apollo,
      transport: options.transport ?? apolloSyncTransport,
      networkEvents: options.networkEvents,
      shopSettings,
      catalog,
      cache,
    }),
  );
  return facade({ apollo, status, persistence, opening, stopRequests, tillAuth: auth?.tillAuth ?? null });
}

type Parts = {
  apollo: ApolloClient<unknown>;
  status: StatusStore;
  persistence: CachePersistence;
  opening: Promise<PosSession>;
  stopRequests: AbortController;
  tillAuth: TillAuth | null;
};

/** The public face: every method waits for the session; the synchronous readers answer empty until then. */
function facade({ apollo, status, persistence, opening, stopRequests, tillAuth }: Parts): PosClient {
  let session: PosSession | undefined;
  const ready = opening.then((opened) => void (session = opened));
  let disposed = false;
  const openSession = async () => {
    const opened = await opening;
    if (disposed) throw new Error("this POS client was disposed");
    return opened;
  };
  return {
    apollo,
    ready,
    recordSale: async (input) => (await openSession()).recordSale(input),
    createCustomer: async (input) => (await openSession()).createCustomer(input),
    refundSale: async (saleId, lines, options) => (await openSession()).refundSale(saleId, lines, options),
    entityRecords: () => session?.entityRecords() ?? [],
    refreshCatalog: async () => (await openSession()).refreshCatalog(),
    sync: async () => (await opening).sync(),
    pendingSales: () => session?.pendingSales() ?? [],
    outboxRecords: () => session?.outboxRecords() ?? [],
    flushCache: () => persistence.flush(),
    outboxBytes: () => session?.outboxBytes() ?? 0,
    status: () => status.get(),
    subscribe: (listener) => status.subscribe(listener),
    retry: async (clientTempId) => (await opening).retry(clientTempId),
    discard: async (clientTempId) => (await opening).discard(clientTempId),
    async setCredential(credential) {
      await withAuth(tillAuth).setCredential(credential);
      // An explicit sync: it ends the authRequired pause and sends what waited meanwhile.
      void (await opening).sync().catch(() => undefined);
    },
    signOut: () => withAuth(tillAuth).signOut(),
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

function withAuth(tillAuth: TillAuth | null): TillAuth {
  if (!tillAuth) throw new Error("this POS client was created without the auth option");
  return tillAuth;
}
