import { retryAfterOfResponse } from "./backoff";

/** What a failed sync request tells us, gathered from the transport (pure data, for the decision). */
export type FailureFacts = {
  /** HTTP status, if a response arrived. Absent: the request never got an answer (network). */
  status?: number;
  retryAfter?: string | null;
  /** The response's `Date` header: the server's clock, against which an HTTP-date Retry-After is read. */
  date?: string | null;
  /** GraphQL `extensions.code` (REST: the body's `code`) of the errors in the response, if any. */
  codes: string[];
  message: string;
  /** Every error message of the response (`message` is the first), for people; never decided on. */
  messages?: string[];
};

export type RetryDecision =
  /** Transient: resend the same sales later (after `retryAfterMs` when the server said so). */
  | { kind: "retry"; retryAfterMs?: number }
  /**
   * Refused for a reason that is not the sales' (wrong URL, a proxy's 404/405/409/410 during a
   * deploy, a bad header): keep the queue, back off and try again; the app sees `lastError`.
   */
  | { kind: "pause"; retryAfterMs?: number }
  /** The token is missing, expired or lacks permission: pause until the app has a new one. */
  | { kind: "auth" }
  /** The sales themselves are refused (a value, or too many bytes): split the batch to find the sale at fault. */
  | { kind: "reject" };

const AUTH_CODES = new Set(["UNAUTHENTICATED", "FORBIDDEN"]);
/**
 * Codes that put the fault in the sales: a value the server refused (GraphQL coercion of `$sales`,
 * REST body validation) or too many bytes. Splitting the batch isolates the sale at fault. Every
 * other refusal (BAD_REQUEST for a bad header, GRAPHQL_VALIDATION_FAILED for a document the server
 * does not know, a proxy's 404) is about the request, and failing sales for it would lose them.
 */
const THE_SALES_CODES = new Set(["BAD_USER_INPUT", "PAYLOAD_TOO_LARGE"]);

/**
 * As Apollo's RetryLink `retryFunction`, but answering how to go on rather than yes or no. Decided
 * on the HTTP status and the machine-readable codes only, never on the wording of a message.
 * `now` is no longer read (a Retry-After date is measured against the response's Date, not the
 * till's clock); it stays in the signature for existing callers.
 */
export function decideRetry(facts: FailureFacts, _now?: number): RetryDecision {
  const { status } = facts;
  if (status === 401 || status === 403 || facts.codes.some((c) => AUTH_CODES.has(c))) return { kind: "auth" };
  if (status === 413 || facts.codes.some((c) => THE_SALES_CODES.has(c))) return { kind: "reject" };
  if (status === undefined) return { kind: "retry" };
  const retryAfterMs = retryAfterOfResponse(facts.retryAfter, facts.date);
  if (status === 429 || status === 408 || status >= 500) return { kind: "retry", retryAfterMs };
  if (status >= 400) return { kind: "pause", retryAfterMs };
  // A 2xx/3xx carrying only errors such as INTERNAL_SERVER_ERROR: the server may recover.
  return { kind: "retry" };
}
