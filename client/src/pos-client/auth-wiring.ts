import type { TokenSource } from "../apollo";
import { refreshTokens, signOut } from "../auth/auth-api";
import type { RejectionHandler } from "../auth/auth-fetch";
import { CredentialStore } from "../auth/credential-store";
import { TillAuth } from "../auth/till-auth";
import type { StatusStore } from "../status";
import type { Locks } from "../sync/locks";
import type { PosClientOptions, Settings } from "./options";

export type AuthWiring = { tillAuth: TillAuth; getToken: TokenSource; afterRejection: RejectionHandler };

const DEFAULT_MARGIN_MS = 60_000;

/**
 * The `auth` option as parts: the till's credential (stored under the shop's prefix, refreshed
 * under the shop's auth lock), the token source of every request and the 401 handler. Its requests
 * use the client's fetch, timeout and dispose signal. Null without `auth`.
 */
export function wireAuth(options: PosClientOptions, settings: Settings, locks: Locks, status: StatusStore, stopped: AbortSignal): AuthWiring | null {
  const { auth } = options;
  if (!auth) return null;
  if (options.getToken) throw new TypeError("createPosClient: pass getToken or auth, not both");
  const baseUrl = auth.baseUrl ?? defaultBaseUrl(options.uri);
  const request = { fetch: options.fetch, requestTimeoutMs: settings.requestTimeoutMs, signal: stopped };
  const key = `${settings.prefix}auth`;
  const tillAuth = new TillAuth(
    {
      store: new CredentialStore(options.storage, key),
      locks,
      lockName: key,
      refresh: (refreshToken) => refreshTokens(baseUrl, refreshToken, request),
      logout: (refreshToken) => signOut(baseUrl, refreshToken, request),
      now: settings.now,
      marginMs: auth.refreshMarginMs ?? DEFAULT_MARGIN_MS,
      onUnusable: (error) => {
        status.update({ authRequired: true, lastError: error.message });
        auth.onAuthRequired?.(error);
      },
      onUsable: () => status.update({ authRequired: false }),
    },
    auth.credential,
  );
  return { tillAuth, getToken: () => tillAuth.accessToken(), afterRejection: (rejected) => tillAuth.afterRejection(rejected) };
}

/** The directory of the GraphQL endpoint; a relative `uri` is read against the page's address. */
function defaultBaseUrl(uri: string): string {
  const page = (globalThis as { location?: { href?: string } }).location?.href;
  return new URL(".", new URL(uri, page)).href;
}
