import { parseRetryAfter } from "./backoff";

/** What a failed sync request tells us, gathered from the transport (pure data, for the decision). */
export type FailureFacts = {
  /** HTTP status, if a response arrived. Absent: the request never got an answer (network). */
  status?: number;
  retryAfter?: string | null;
  /** GraphQL `extensions.code` of the errors in the response, if any. */
  codes: string[];
  message: string;
};

export type RetryDecision =
  /** Transient: resend the same sales later (after `retryAfterMs` when the server said so). */
  | { kind: "retry"; retryAfterMs?: number }
  /** The token is missing, expired or lacks permission: pause until the app has a new one. */
  | { kind: "auth" }
  /** The request itself is refused (bad input, too large): split it to find the sale at fault. */
  | { kind: "reject" };

const AUTH_CODES = new Set(["UNAUTHENTICATED", "FORBIDDEN"]);
const REJECT_CODES = new Set(["BAD_USER_INPUT", "BAD_REQUEST", "PAYLOAD_TOO_LARGE", "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED"]);

/** As Apollo's RetryLink `retryFunction`, but answering how to go on rather than yes or no. */
export function decideRetry(facts: FailureFacts, now: number): RetryDecision {
  const { status } = facts;
  if (status === 401 || status === 403 || facts.codes.some((c) => AUTH_CODES.has(c))) return { kind: "auth" };
  if (status === undefined) return { kind: "retry" };
  if (status === 429 || status === 503) return { kind: "retry", retryAfterMs: parseRetryAfter(facts.retryAfter, now) };
  if (status >= 500 || status === 408) return { kind: "retry", retryAfterMs: parseRetryAfter(facts.retryAfter, now) };
  if (status >= 400 || facts.codes.some((c) => REJECT_CODES.has(c))) return { kind: "reject" };
  // A 2xx/3xx carrying only errors such as INTERNAL_SERVER_ERROR: the server may recover.
  return { kind: "retry" };
}
