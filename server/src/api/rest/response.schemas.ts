import { z } from "zod";
import type { DomainErrorCode } from "../../shared/errors";
import type { FailedSale, SyncedSale } from "../../sync/sync.types";

/**
 * What the REST routes answer, as zod schemas: the OpenAPI document (`openapi.ts`) is generated
 * from them, and a test checks real responses against that document. Every later REST route adds
 * its response schemas here. Request bodies are not here: they are the domain's own validation
 * schemas (`sync/offline-sale.schema.ts`), imported by the document as they are.
 */

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export const ORDER_ID_PATTERN = /^ORD-[A-Z0-9]{6}-[A-Z0-9]{3}$/;

export const syncedSaleSchema = z
  .object({
    clientTempId: z.string().meta({ description: "The sale's clientTempId exactly as the till sent it (case preserved)." }),
    serverId: z.uuid().meta({ description: "The sale's id on the server; the same on every replay of the sale." }),
    orderId: z
      .string()
      .regex(ORDER_ID_PATTERN)
      .meta({ description: "The order number, unique per shop; the same on every replay.", examples: ["ORD-K7Q2MX-R4T"] }),
    status: z.enum(["created", "existing"]).meta({
      id: "SyncStatus",
      description: "`created`: recorded by this request. `existing`: already recorded (a replay); nothing was written.",
    }),
    warnings: z.array(z.string()).meta({
      description:
        "Why a recorded sale needs a look (an unknown customer dropped, a clock far off, totals that disagree). " +
        "The sale is recorded all the same; empty for `existing`.",
    }),
  })
  .meta({ id: "SyncedSale", description: "A sale the server holds." });

export const failedSaleSchema = z
  .object({
    clientTempId: z.string().max(100).meta({
      description: "The sale's clientTempId as sent, to match the error to the sale; empty when the sale had no string clientTempId.",
    }),
    error: z.string().meta({ description: "Why the sale was not recorded, naming the field (`items[0].quantity must be a positive integer`)." }),
    retryable: z.boolean().meta({
      description: "True when the server failed, not the sale: send the same sale again later. False: resending it unchanged fails the same way.",
    }),
  })
  .meta({ id: "FailedSale", description: "A sale that was not recorded. The rest of the batch is unaffected." });

export const syncedEntitySchema = z
  .object({
    clientTempId: z.string().meta({ description: "The record's clientTempId exactly as the till sent it." }),
    serverId: z.uuid().meta({ description: "The record's id on the server; the same on every replay." }),
    status: z.enum(["created", "existing"]),
    warnings: z.array(z.string()).meta({ description: "Why a recorded record needs a look; empty for `existing`." }),
  })
  .meta({ id: "SyncedRecord", description: "A customer or refund the server holds." });

export const failedEntitySchema = z
  .object({
    clientTempId: z.string().max(100).nullable().meta({ description: "The clientTempId as sent; null when it was not a string." }),
    error: z.string().meta({ description: "Why it was not recorded, naming the field (`Invalid refund: lines[0].quantity must be a positive integer`)." }),
    retryable: z.boolean().meta({ description: "True when the server failed, not the record: send it again later." }),
  })
  .meta({ id: "FailedRecord", description: "A customer or refund that was not recorded. The rest of the request is unaffected." });

export const syncResponseSchema = z
  .object({
    synced: z.array(syncedSaleSchema).meta({ description: "The recorded sales, in the order of the request." }),
    errors: z.array(failedSaleSchema).meta({ description: "The sales that were not recorded, in the order of the request." }),
    syncedCustomers: z.array(syncedEntitySchema).optional().meta({ description: "Only when the request had `customers` or `refunds`." }),
    customerErrors: z.array(failedEntitySchema).optional(),
    syncedRefunds: z.array(syncedEntitySchema).optional(),
    refundErrors: z.array(failedEntitySchema).optional(),
  })
  .meta({ id: "SyncResponse", description: "One verdict per sale of the request: each is in `synced` or in `errors`." });

// The route maps the service's outcomes field by field; these fail to compile when the two drift.
true satisfies Same<z.infer<typeof syncedSaleSchema>, Omit<SyncedSale, "kind">>;
true satisfies Same<z.infer<typeof failedSaleSchema>, Omit<FailedSale, "kind" | "code">>;

/** Every `code` a REST error body can carry: the domain's codes and the edge's own for a bug. */
export const ERROR_CODES = [
  "BAD_REQUEST",
  "BAD_USER_INPUT",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "PAYLOAD_TOO_LARGE",
  "RATE_LIMITED",
  "OVERLOADED",
  "UNAVAILABLE",
  "INTERNAL_SERVER_ERROR",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
true satisfies Same<ErrorCode, DomainErrorCode | "INTERNAL_SERVER_ERROR">;

const ERROR_BODY_NAMES: Record<ErrorCode, string> = {
  BAD_REQUEST: "BadRequestError",
  BAD_USER_INPUT: "BadUserInputError",
  UNAUTHENTICATED: "UnauthenticatedError",
  FORBIDDEN: "ForbiddenError",
  NOT_FOUND: "NotFoundError",
  CONFLICT: "ConflictError",
  PAYLOAD_TOO_LARGE: "PayloadTooLargeError",
  RATE_LIMITED: "RateLimitedError",
  OVERLOADED: "OverloadedError",
  UNAVAILABLE: "UnavailableError",
  INTERNAL_SERVER_ERROR: "InternalServerError",
};

const errorBodies = new Map<ErrorCode, z.ZodType>();

/**
 * The body of a request-level failure (`app.ts` errorHandler, the rate limiter): `{ error, code }`.
 * One named schema per code, so each status of the document says exactly which code it carries.
 */
export function errorBodySchema(code: ErrorCode): z.ZodType {
  let schema = errorBodies.get(code);
  if (!schema) {
    schema = z
      .object({
        error: z.string().meta({ description: "For people: the wording may change. Decide on `code`." }),
        code: z.literal(code).meta({ description: "Machine-readable; stable." }),
      })
      .meta({ id: ERROR_BODY_NAMES[code], description: `The request as a whole failed with code ${code}; no sale of it was recorded.` });
    errorBodies.set(code, schema);
  }
  return schema;
}
