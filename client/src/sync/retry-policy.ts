import { parseRetryAfter } from "./backoff";

/** What a failed sync request tells us, gathered from the transport (pure data, for the decision). */
export type FailureFacts = {
  /** HTTP status, if a response arrived. Absent: the request never got an answer (network). */
  status?: number;
  retryAfter?: string | null;
  /** GraphQL `extensions.code` (REST: `code`) of the errors in the response, if any. */
  codes: string[];
  message: string;
  /** Every error message of the response (`message` is the first); used to tell what was refused. */
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
/** Codes of errors about input values: GraphQL variable coercion, REST body validation. */
const INPUT_CODES = new Set(["BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED", "BAD_REQUEST"]);
/** A message that names the sales: GraphQL's `Variable "$sales" got invalid value ...`, REST's `sales[3].items[0].quantity: ...`. */
const NAMES_THE_SALES = /\$sales\b|(^|[^\w$])sales\[\d+\]/;

/** As Apollo's RetryLink `retryFunction`, but answering how to go on rather than yes or no. */
export function decideRetry(facts: FailureFacts, now: number): RetryDecision {
  const { status } = facts;
  if (status === 401 || status === 403 || facts.codes.some((c) => AUTH_CODES.has(c))) return { kind: "auth" };
  if (status === 413 || facts.codes.includes("PAYLOAD_TOO_LARGE")) return { kind: "reject" };
  if (status === 400 && isAboutTheSales(facts)) return { kind: "reject" };
  if (status === undefined) return { kind: "retry" };
  const retryAfterMs = parseRetryAfter(facts.retryAfter, now);
  if (status === 429 || status === 408 || status >= 500) return { kind: "retry", retryAfterMs };
  if (status >= 400) return { kind: "pause", retryAfterMs };
  // A 2xx/3xx carrying only errors such as INTERNAL_SERVER_ERROR: the server may recover.
  return { kind: "retry" };
}

/** A 400 whose errors are about values of the sales (so one sale is at fault), not about the request. */
export function isAboutTheSales(facts: FailureFacts): boolean {
  if (!facts.codes.some((c) => INPUT_CODES.has(c))) return false;
  const messages = facts.messages?.length ? facts.messages : [facts.message];
  return messages.some((m) => NAMES_THE_SALES.test(m));
}
