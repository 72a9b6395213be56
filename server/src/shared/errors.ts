/**
 * Domain errors: plain classes with a stable code. They know nothing of HTTP or GraphQL;
 * `http/error-mapping.ts` maps each code once to a GraphQL extensions.code and an HTTP status.
 * Expected per-sale outcomes of a sync are results, never these.
 */
export type DomainErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "BAD_REQUEST"
  | "BAD_USER_INPUT"
  | "NOT_FOUND"
  | "PAYLOAD_TOO_LARGE"
  | "CONFLICT"
  | "RATE_LIMITED"
  | "OVERLOADED"
  | "UNAVAILABLE";

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class UnauthenticatedError extends DomainError {
  readonly code = "UNAUTHENTICATED";
}
export class ForbiddenError extends DomainError {
  readonly code = "FORBIDDEN";
}
/** A request that is malformed as a whole (missing header, body not the expected shape). */
export class BadRequestError extends DomainError {
  readonly code = "BAD_REQUEST";
}
/** A value that breaks a rule; `field` names it so a client can point at it. */
export class ValidationError extends DomainError {
  readonly code = "BAD_USER_INPUT";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
/** Deliberately says nothing about whether the thing exists in another shop. */
export class NotFoundError extends DomainError {
  readonly code = "NOT_FOUND";
}
export class PayloadTooLargeError extends DomainError {
  readonly code = "PAYLOAD_TOO_LARGE";
}
export class ConflictError extends DomainError {
  readonly code = "CONFLICT";
}

/** The database (or another dependency) is unreachable: nothing was recorded, retrying later is safe. */
export class ServiceUnavailableError extends DomainError {
  readonly code = "UNAVAILABLE";
}

/**
 * This process has more sync work queued than it is configured to hold: nothing of the request
 * was read or recorded; retry after `retryAfterSeconds`, which the server sized from its own queue.
 */
export class OverloadedError extends DomainError {
  readonly code = "OVERLOADED";
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
