import { ClientStoppedError, RequestTimeoutError } from "../fetch-with-deadline";

/**
 * A sign-in request (pair, login, refresh, logout) that did not give what was asked. Each class is
 * one thing the caller does differently; `code` is the server's machine-readable code (its body's
 * `code`) or, when no answer came, `NETWORK`, `TIMEOUT` or `STOPPED`. Decide on the class, the
 * `status` and the `code`, never on the message.
 *
 * `statusCode` and `response` have the names Apollo's ServerError gives them, so an error thrown
 * while a GraphQL request gets its token is judged by the sync's retry policy like any answer
 * with that status (401: sign in again; none, 429, 5xx: retry later).
 */
export class AuthRequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number | undefined,
    readonly response?: Response,
  ) {
    super(message);
    this.name = new.target.name;
  }

  get statusCode(): number | undefined {
    return this.status;
  }
}

/**
 * 401: the server refused what was presented: a wrong email or password, a wrong, used or expired
 * pairing code, or a refresh token that is revoked, expired or was reused. Also `NO_CREDENTIAL`
 * (status 401 too, no request made): the client holds no credential at all. Sign in or pair again.
 */
export class CredentialRefusedError extends AuthRequestError {}

/** 429: too many failed attempts; `retryAfterSeconds` is the server's `Retry-After` when it sent one. */
export class AuthRateLimitedError extends AuthRequestError {
  constructor(message: string, code: string, status: number, response: Response, readonly retryAfterSeconds: number | null) {
    super(message, code, status, response);
  }
}

/** No answer (network, timeout), a 5xx or 408, or an answer that is not the expected JSON: try again later. */
export class AuthUnavailableError extends AuthRequestError {}

/**
 * The server refused an access token it had just issued (a 401 on the retry after a refresh):
 * not the credential's fault (e.g. servers disagreeing on the signing key during a deploy), so
 * it is retried later like a network failure instead of asking anyone to sign in.
 */
export class AccessTokenRefusedError extends AuthRequestError {
  constructor() {
    super("The server refused a freshly refreshed access token; retrying later", "UNAUTHENTICATED_AFTER_REFRESH", undefined);
  }
}

export const NO_CREDENTIAL = "NO_CREDENTIAL";

export function noCredentialError(): CredentialRefusedError {
  return new CredentialRefusedError("This till holds no credential: pair it (or sign in)", NO_CREDENTIAL, 401);
}

/** A request that got no answer at all. */
export function unansweredError(error: unknown): AuthUnavailableError {
  const code = error instanceof RequestTimeoutError ? "TIMEOUT" : error instanceof ClientStoppedError ? "STOPPED" : "NETWORK";
  return new AuthUnavailableError(error instanceof Error ? error.message : String(error), code, undefined);
}

/** An HTTP error answer, by its status; the body's `code` and `error` are carried as they are. */
export function answeredError(response: Response, body: unknown): AuthRequestError {
  const { status } = response;
  const fields = (body ?? {}) as { code?: unknown; error?: unknown };
  const code = typeof fields.code === "string" ? fields.code : `HTTP_${status}`;
  const message = typeof fields.error === "string" ? fields.error : `HTTP ${status}`;
  if (status === 401) return new CredentialRefusedError(message, code, status, response);
  if (status === 429) return new AuthRateLimitedError(message, code, status, response, retryAfterSecondsOf(response));
  if (status === 408 || status >= 500) return new AuthUnavailableError(message, code, status, response);
  return new AuthRequestError(message, code, status, response);
}

function retryAfterSecondsOf(response: Response): number | null {
  const value = response.headers.get("retry-after");
  const seconds = value === null ? NaN : Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}
