import { GraphQLError } from "graphql";
import { DomainError, type DomainErrorCode } from "../../shared/errors";

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
  UNAVAILABLE: 503,
};

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
  "UNAVAILABLE",
]);

export function requestLevelStatusOf(code: unknown): number | undefined {
  return typeof code === "string" && REQUEST_LEVEL_CODES.has(code) ? HTTP_STATUS[code as DomainErrorCode] : undefined;
}

/** For errors raised before any resolver runs (the context function), where Apollo reads extensions.http. */
export function toGraphQLError(error: DomainError): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: { code: error.code, http: { status: httpStatusOf(error) } },
  });
}
