import { ApolloClient, HttpLink, type InMemoryCache, from } from "@apollo/client/core";
import { setContext } from "@apollo/client/link/context";
import { type RejectionHandler, retryOnUnauthorized } from "./auth/auth-fetch";
import { fetchWithDeadline } from "./fetch-with-deadline";

export type TokenSource = () => string | null | undefined | Promise<string | null | undefined>;

/**
 * The Apollo Client every query and the sync mutation go through. The token is asked for on every
 * request, so a refreshed token is used from the next attempt on; the shop travels in `x-shop-id`.
 * Every request is abandoned after `requestTimeoutMs`, and when `stopped` aborts (the client is disposed).
 * With `afterRejection` (the `auth` option), a 401 gets a new token and the request is sent once more.
 */
export function createApolloClient(options: {
  uri: string;
  shopId: string;
  getToken: TokenSource;
  cache: InMemoryCache;
  fetch?: typeof fetch;
  requestTimeoutMs: number | false;
  stopped: AbortSignal;
  afterRejection?: RejectionHandler;
}): ApolloClient<unknown> {
  const auth = setContext(async (_operation, previous: { headers?: Record<string, string> }) => {
    const token = await options.getToken();
    return {
      headers: {
        ...previous.headers,
        "x-shop-id": options.shopId,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    };
  });
  // Looked up per call, so a test (or a polyfill) can replace the global fetch after start.
  const fetchImpl: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  // Each HTTP call, the retry after a 401 too, has its own deadline.
  const bounded = fetchWithDeadline(fetchImpl, options.requestTimeoutMs, options.stopped);
  const http = new HttpLink({ uri: options.uri, fetch: options.afterRejection ? retryOnUnauthorized(bounded, options.afterRejection) : bounded });
  return new ApolloClient({ cache: options.cache, link: from([auth, http]) }) as ApolloClient<unknown>;
}
