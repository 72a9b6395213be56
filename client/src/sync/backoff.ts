/**
 * Exponential backoff with full jitter (as Apollo's RetryLink `delayFunction`): the n-th consecutive
 * failure waits a uniformly random time in [0, min(maxMs, initialMs * 2^(n-1))). Jitter spreads
 * a fleet of tills coming back online at once. Pure: `random` is injected for tests.
 */
export type BackoffOptions = { initialMs: number; maxMs: number; jitter: boolean };

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 5 * 60 * 1000, jitter: true };

/** The longest a server's Retry-After is honoured for; beyond it we try again anyway. */
export const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

export function backoffDelay(failures: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  if (failures <= 0) return 0;
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(failures - 1, 52));
  return options.jitter ? Math.floor(random() * ceiling) : ceiling;
}

/** The wait before the next attempt: the server's Retry-After when it gave one, else the backoff. */
export function retryDelay(
  failures: number,
  retryAfterMs: number | undefined,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(retryAfterMs, 0), MAX_RETRY_AFTER_MS);
  return backoffDelay(failures, options, random);
}

/**
 * `Retry-After: <seconds>` or `Retry-After: <HTTP-date>`, in milliseconds from `now`; undefined if
 * absent or invalid. An HTTP-date is only as good as the clock `now` comes from: for a server's
 * answer use `retryAfterOfResponse`, which reads it against the answer's own Date header.
 */
export function parseRetryAfter(header: string | null | undefined, now: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The wait a response's Retry-After asks for. Seconds are taken as they are. An HTTP-date is read
 * against the response's own `Date` header, both from the server's clock, because the till's clock
 * may be a day off (ahead it retried in a tight loop, behind it waited the hour cap). Undefined
 * (so the backoff applies) when either date is missing or unparsable or the wait is not positive.
 */
export function retryAfterOfResponse(retryAfter: string | null | undefined, responseDate: string | null | undefined): number | undefined {
  if (!retryAfter) return undefined;
  if (/^\d+$/.test(retryAfter.trim())) return parseRetryAfter(retryAfter, 0);
  const sentAt = responseDate ? Date.parse(responseDate) : Number.NaN;
  const at = Date.parse(retryAfter.trim());
  if (Number.isNaN(sentAt) || Number.isNaN(at) || at - sentAt <= 0) return undefined;
  return at - sentAt;
}
