import { AccessTokenRefusedError } from "./auth-errors";

/** What the fetch wrapper needs of the credential: a token other than the one the server refused. */
export type RejectionHandler = (rejected: string | null) => Promise<string>;

/**
 * Wraps the (deadline-bounded) fetch of every GraphQL request: a 401 answer gets a new access
 * token (refreshed, or another tab's) and the same request is sent once more with it. Resending is
 * safe: a 401 means the server did nothing, and the sync is idempotent per sale anyway. A refresh
 * the server refuses rejects with CredentialRefusedError (status 401: sign in again); one without
 * an answer rejects as a network failure (retried later). A second 401 rejects with
 * AccessTokenRefusedError, also retried later: the credential was just renewed, so it is not at fault.
 */
export function retryOnUnauthorized(fetchImpl: typeof fetch, afterRejection: RejectionHandler): typeof fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    if (response.status !== 401) return response;
    const headers = new Headers(init?.headers);
    const rejected = /^Bearer\s+(\S+)$/i.exec(headers.get("authorization") ?? "")?.[1] ?? null;
    const fresh = await afterRejection(rejected);
    headers.set("authorization", `Bearer ${fresh}`);
    const retried = await fetchImpl(input, { ...init, headers });
    if (retried.status === 401) throw new AccessTokenRefusedError();
    return retried;
  };
}
