import type { ApolloClient } from "@apollo/client/core";
import type { TokenSource } from "../apollo";
import type { CredentialRefusedError } from "../auth/auth-errors";
import type { TillCredential } from "../auth/credential-store";
import type { ReceiptTill } from "../outbox/outbox-record";
import type { KeyValueStorage } from "../storage/storage";
import { type BackoffOptions, DEFAULT_BACKOFF } from "../sync/backoff";
import type { LockManagerLike } from "../sync/locks";
import type { SyncTransport } from "../sync/sync-transport";

export type PosClientOptions = {
  /** The GraphQL endpoint, e.g. https://pos.example.com/graphql */
  uri: string;
  shopId: string;
  /**
   * Called before every request, so a refreshed token is used from the next attempt on. For a
   * token the app manages itself; leave it out with `auth`, where the client manages the till's.
   */
  getToken?: TokenSource;
  /** The till's own credential, stored, refreshed and rotated by the client (see PosAuthOptions). */
  auth?: PosAuthOptions;
  /**
   * The paired till (`pairTill`'s `till`: its id and code). With it, `recordSale` numbers every
   * sale with the till's own gapless counter (`T03-000124` on the receipt), and each sync reports
   * what the till still holds, so the server can tell a missing sale from one not sent yet.
   */
  till?: ReceiptTill;
  /** Durable storage for the outbox and the persisted cache (IndexedDbStorage, FileStorage, MemoryStorage). */
  storage: KeyValueStorage;
  fetch?: typeof fetch;
  /**
   * A request with no whole answer after this long is abandoned (default 20 s; false turns it off).
   * A sync request abandoned so counts as a network failure: its sales go back to pending and are
   * resent after the backoff. Applies to every request of the client, queries too.
   */
  requestTimeoutMs?: number | false;
  /** Sales per sync request (default 100; the server accepts up to its MAX_SALES_PER_REQUEST). */
  batchSize?: number;
  /** Automatic sync interval (default 30 s; 0 turns it off). */
  syncIntervalMs?: number;
  /** Sync this long after a sale is recorded (default 500 ms; false turns it off). */
  syncAfterRecordMs?: number | false;
  /** Sync as soon as the client is ready (default true). */
  syncOnStart?: boolean;
  /**
   * The stored catalogue is pulled from the server's change feed on start, after each sync that
   * reached the server, and every this many ms (default 5 minutes); false turns the automatic
   * pulls off (`refreshCatalog()` still pulls).
   */
  catalogIntervalMs?: number | false;
  /** Products and customers per feed page (default 500, at most 1000). */
  catalogPageSize?: number;
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

/**
 * The client signs in by itself: it keeps the till's refresh token (and the current access token)
 * in `storage`, refreshes the access token before it expires and when a request gets a 401, and
 * retries that request once. `authRequired` is set only when the server refuses the refresh token.
 */
export type PosAuthOptions = {
  /**
   * Where the sign-in routes are (`<baseUrl>/api/auth/refresh`); default: the directory of `uri`,
   * so `https://pos.example.com/graphql` gives `https://pos.example.com/`.
   */
  baseUrl?: string;
  /**
   * The answer of `pairTill` (or `signIn`) on the first start. Later starts may leave it out (the
   * stored credential is used) or pass the same one again: a credential already taken in is never
   * taken again, so it cannot overwrite the token it was rotated into. A different one replaces it.
   */
  credential?: TillCredential;
  /** Refresh this long before the access token expires (default 60 s; at most half its lifetime). */
  refreshMarginMs?: number;
  /** The client has no usable credential any more: refused by the server, none stored, or signed out. */
  onAuthRequired?: (error: CredentialRefusedError) => void;
};

const DAY = 24 * 60 * 60 * 1000;

/** The options with every default filled in, in one place. */
export type Settings = {
  /** Prefix of every storage key and lock name of this shop's client. */
  prefix: string;
  till: ReceiptTill | null;
  requestTimeoutMs: number | false;
  batchSize: number;
  syncIntervalMs: number;
  syncAfterRecordMs: number | false;
  syncOnStart: boolean;
  catalogIntervalMs: number | false;
  catalogPageSize: number;
  retentionMs: number;
  backoff: BackoffOptions;
  now: () => number;
  random: () => number;
};

export function resolveSettings(options: PosClientOptions): Settings {
  return {
    prefix: `pos-sync:${options.shopId}:`,
    till: options.till ? { id: options.till.id, code: options.till.code } : null,
    requestTimeoutMs: options.requestTimeoutMs ?? 20_000,
    batchSize: options.batchSize ?? 100,
    syncIntervalMs: options.syncIntervalMs ?? 30_000,
    syncAfterRecordMs: options.syncAfterRecordMs ?? 500,
    syncOnStart: options.syncOnStart ?? true,
    catalogIntervalMs: options.catalogIntervalMs ?? 5 * 60_000,
    catalogPageSize: options.catalogPageSize ?? 500,
    retentionMs: options.retentionMs ?? 7 * DAY,
    backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
  };
}
