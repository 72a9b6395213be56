import { GraphQLError } from "graphql";
import { isConnectionError } from "../../db/transaction";
import { DomainError, type DomainErrorCode, OverloadedError, ServiceUnavailableError } from "../../shared/errors";

/** The one table from domain error codes to HTTP statuses; GraphQL uses the code as extensions.code. */
const HTTP_STATUS: Record<DomainErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_REQUEST: 400,
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  OVERLOADED: 429,
  UNAVAILABLE: 503,
};

/** The seconds a client is told to wait (`Retry-After`) before retrying a request refused with this code. */
const RETRY_AFTER_SECONDS: Partial<Record<DomainErrorCode, number>> = { UNAVAILABLE: 5 };

export function retryAfterSecondsOf(code: unknown): number | undefined {
  return typeof code === "string" ? RETRY_AFTER_SECONDS[code as DomainErrorCode] : undefined;
}

/** The wait for this error: its own when it carries one (a shed request, sized from the queue), else its code's. */
export function retryAfterSecondsOfError(error: unknown, code: unknown): number | undefined {
  return error instanceof OverloadedError ? error.retryAfterSeconds : retryAfterSecondsOf(code);
}

/**
 * What an error means to a client: a domain error as it is; a database that cannot be reached or
 * did not answer within its bounds, wherever it surfaces (authentication, a read, a write), is
 * 503 UNAVAILABLE; anything else is not the client's business (undefined: a 500).
 */
export function domainErrorOf(error: unknown): DomainError | undefined {
  if (error instanceof DomainError) return error;
  if (isConnectionError(error)) return new ServiceUnavailableError("The database is unavailable; retry later.");
  return undefined;
}

export function httpStatusOf(error: unknown): number {
  return error instanceof DomainError ? HTTP_STATUS[error.code] : 500;
}

/** Codes that describe the whole request, so a GraphQL response that carries no data gets the status too. */
const REQUEST_LEVEL_CODES: ReadonlySet<string> = new Set([
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "PAYLOAD_TOO_LARGE",
  "BAD_REQUEST",
  "RATE_LIMITED",
  "OVERLOADED",
  "UNAVAILABLE",
]);

export function requestLevelStatusOf(code: unknown): number | undefined {
  return typeof code === "string" && REQUEST_LEVEL_CODES.has(code) ? HTTP_STATUS[code as DomainErrorCode] : undefined;
}

/** For errors raised before any resolver runs (the context function), where Apollo reads extensions.http. */
export function toGraphQLError(error: DomainError): GraphQLError {
  const retryAfter = retryAfterSecondsOfError(error, error.code);
  const headers = new Map(retryAfter === undefined ? [] : [["retry-after", String(retryAfter)]]);
  return new GraphQLError(error.message, {
    extensions: { code: error.code, http: { status: httpStatusOf(error), headers } },
  });
}
