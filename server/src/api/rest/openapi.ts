import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { loadConfig } from "../../config/config";
import { offlineSaleSchema } from "../../sync/offline-sale.schema";
import { tillStateSchema } from "../../receipts/till-state";
import { offlineCustomerSchema } from "../../sync/offline-customer";
import { offlineRefundSchema } from "../../sync/offline-refund";
import { MAX_PAYMENTS, paymentSchema } from "../../sync/tenders";
import { type ErrorCode, errorBodySchema, syncResponseSchema } from "./response.schemas";
import { registerCatalogRoute } from "./catalog.openapi";

/**
 * The REST routes' contract document (OpenAPI 3.1), generated from the zod schemas that validate
 * the requests and describe the responses. `npm run openapi` writes the committed `openapi.json`;
 * a test fails when that file is stale or when a real response does not match it.
 * A new REST route registers itself here with one `register…Route` function.
 */
export type OpenApiDocument = ReturnType<OpenApiGeneratorV31["generateDocument"]>;

export const OPENAPI_JSON_PATH = "/api/openapi.json";
export const BEARER_AUTH = "bearerAuth";

/** The limits the document quotes are the defaults; a deployment may change them. */
const DEFAULTS = loadConfig({});

const shopHeaders = z.object({
  "x-shop-id": z.uuid().meta({ description: "The shop the request acts for; the token's user must be a member of it." }),
});

const payment = paymentSchema.meta({ id: "Payment", description: "One tender: `method` CASH, CARD, VOUCHER or OTHER; `offline`: recorded without a connection." });

/** Field documentation over the domain's own schema: the same rules, with a description each. */
const { shape } = offlineSaleSchema;
const offlineSale = offlineSaleSchema
  .extend({
    clientTempId: shape.clientTempId.meta({
      format: "uuid",
      description: "Generated once by the till for the sale (a UUID) and kept across retries: the idempotency key, per shop.",
    }),
    items: shape.items.meta({
      description:
        "The lines of the sale. `productId`: a product of the shop. `quantity`: a positive integer. " +
        "`price`: the unit price before discount, at most 2 decimals. `discountPercent`: 0 to 100, at most 2 decimals, 0 when absent.",
    }),
    totalAmount: shape.totalAmount.meta({
      description: "What the customer paid, at most 2 decimals. A total that differs from the lines is recorded and flagged (a warning).",
    }),
    customerId: shape.customerId.meta({
      description: "A customer of the shop. An unknown one is dropped with a warning; the sale is still recorded.",
    }),
    receiptNumber: shape.receiptNumber.meta({
      description:
        "The till's receipt counter for the sale (1, 2, 3, ... per till), assigned at the moment of sale and printed as " +
        "`T03-000124` (the till's code and 6 digits). Optional. A paired till that reuses a number for another sale " +
        "(restored from a backup) has the later sale recorded and flagged (a warning). Sent with a user's token it is " +
        "stored as given, without a till.",
    }),
    createdAt: shape.createdAt.meta({
      description:
        "When the sale happened: an ISO-8601 instant with a time zone (`2024-01-15T10:30:00Z`, `2024-01-15T10:30:00+02:00`). " +
        "An implausible one (a wrong till clock) is recorded and flagged (a warning).",
      examples: ["2024-01-15T10:30:00Z"],
    }),
    customerClientTempId: shape.customerClientTempId.meta({
      format: "uuid",
      description:
        "A customer the till created offline (its clientTempId in `customers`), synced in the same request or earlier. " +
        "`customerId` wins when both are given; an unresolvable one is dropped with a warning.",
    }),
    payments: z.array(payment).max(MAX_PAYMENTS).nullish().meta({
      description:
        "Optional tenders. Cash beyond the total is change (`changeAmount`); tenders that do not cover the total, non-cash beyond it, " +
        "or an offline card payment above the shop's `offlineCardLimit` are recorded and flagged (a warning).",
    }),
  })
  .meta({ id: "OfflineSale", description: "One sale made at the till, possibly while offline." });

const offlineCustomer = offlineCustomerSchema.meta({
  id: "OfflineCustomer",
  description: "A customer signed up at the till, possibly offline; idempotent per (shop, clientTempId) like a sale.",
});

const offlineRefund = offlineRefundSchema
  .extend({ payments: z.array(payment).max(MAX_PAYMENTS).nullish() })
  .meta({
    id: "OfflineRefund",
    description:
      "A refund made at the till, idempotent per (shop, clientTempId). `sale`: exactly one of the sale's `clientTempId` or `serverId`. " +
      "Never refused for being inconvenient: a sale not on the server yet, refused, or refunded beyond what was sold is recorded and " +
      "flagged (a warning), and linked when the sale arrives; an unknown product is refused. `restock: true` puts the quantities back in stock.",
  });

const syncRequest = z
  .object({
    sales: z.array(offlineSale).meta({
      description:
        `At most MAX_SALES_PER_REQUEST sales (${DEFAULTS.maxSalesPerRequest} by default; more answer 413). ` +
        "Each sale is judged alone: one that breaks a rule is answered in `errors` and the rest are recorded.",
    }),
    tillState: tillStateSchema.optional().meta({
      id: "TillState",
      description:
        "Optional: what the till still holds unsent besides this request's sales (the client package leaves those out, so the " +
        "report after the last batch is exact; including them is harmless, since a number received is never pending): how many " +
        "and the lowest and highest receipt numbers among them. Kept per paired till (the latest wins) to tell " +
        "`pending` receipt gaps from `missing` ones; ignored for a user's token. A malformed one is a 400 naming the field, " +
        "with nothing recorded.",
    }),
  })
  .extend({
    customers: z.array(offlineCustomer).optional().meta({
      description: "Optional: customers created at the till. With `customers` or `refunds` the answer adds `syncedCustomers`, `customerErrors`, `syncedRefunds` and `refundErrors`.",
    }),
    refunds: z.array(offlineRefund).optional().meta({
      description: "Optional: refunds, written after the request's customers and sales. Customers, sales and refunds together count against MAX_SALES_PER_REQUEST.",
    }),
    sales: z.array(offlineSale).optional().meta({
      description:
        `At most MAX_SALES_PER_REQUEST sales (${DEFAULTS.maxSalesPerRequest} by default; more answer 413). Required unless \`customers\` or \`refunds\` is given. ` +
        "Each sale is judged alone: one that breaks a rule is answered in `errors` and the rest are recorded.",
    }),
  })
  .meta({ id: "SyncRequest" });

const json = (schema: z.ZodType) => ({ content: { "application/json": { schema } } });

const rateLimitHeaders = {
  RateLimit: {
    description: "When rate limits are on: `limit=N, remaining=N, reset=SECONDS` (IETF draft-7) for the tightest limit.",
    schema: { type: "string" as const },
  },
  "RateLimit-Policy": {
    description: "When rate limits are on: `N;w=SECONDS`, the limit and its window.",
    schema: { type: "string" as const },
  },
};

function errorResponse(code: ErrorCode, description: string, extra: Partial<ResponseConfig> = {}): ResponseConfig {
  return { description, ...json(errorBodySchema(code)), ...extra };
}

function registerSyncRoute(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: "post",
    path: "/api/pos/sync",
    operationId: "syncOfflineSales",
    tags: ["sync"],
    summary: "Sync offline sales",
    description:
      "Records the sales a till made while offline, exactly once per `(shop, clientTempId)`: a replay of a recorded sale " +
      "answers `existing` with the same `serverId` and `orderId` and writes nothing, so the request is safe to retry " +
      "after any network failure. Needs the `sales:create` permission. The same sync is offered over GraphQL " +
      "(`syncOfflineSales`).",
    security: [{ [BEARER_AUTH]: [] }],
    request: {
      headers: shopHeaders,
      body: { required: true, description: `A JSON body of at most MAX_BODY_BYTES (${DEFAULTS.maxBodyBytes} bytes by default).`, ...json(syncRequest) },
    },
    responses: {
      200: {
        description: "Every sale of the request was judged: each is in `synced` or in `errors`.",
        headers: rateLimitHeaders,
        ...json(syncResponseSchema),
      },
      400: errorResponse(
        "BAD_REQUEST",
        "The request as a whole is malformed: the body is not JSON, not an object with a `sales` array, a `tillState` that breaks its rules, " +
          "or `x-shop-id` is missing or not a UUID.",
      ),
      401: errorResponse("UNAUTHENTICATED", "The bearer token is missing, malformed, invalid or expired."),
      403: errorResponse("FORBIDDEN", "The user is not a member of the shop, or the role lacks `sales:create`."),
      413: errorResponse(
        "PAYLOAD_TOO_LARGE",
        "The body is over MAX_BODY_BYTES, or it holds more than MAX_SALES_PER_REQUEST sales: split the batch. Nothing was recorded.",
      ),
      415: errorResponse("BAD_REQUEST", "The body's charset or Content-Encoding is not supported (send UTF-8 JSON)."),
      429: {
        description:
          "Nothing was recorded; retry after `Retry-After`. `RATE_LIMITED`: too many requests from this token or this address. " +
          "`OVERLOADED`: this server process has more sync work queued than SYNC_MAX_QUEUED_SALES (refused before the body was read); " +
          "Retry-After is sized from its queue and its recent drain rate.",
        ...json(z.union([errorBodySchema("RATE_LIMITED"), errorBodySchema("OVERLOADED")])),
        headers: {
          "Retry-After": { description: "Seconds to wait before retrying.", required: true, schema: { type: "integer", minimum: 0 } },
          ...rateLimitHeaders,
        },
      },
      500: errorResponse("INTERNAL_SERVER_ERROR", "A bug on the server; nothing of the request is guaranteed to have been recorded. Retrying is safe."),
      503: errorResponse("UNAVAILABLE", "The database is unavailable: nothing of this request was recorded. Retry later."),
    },
  });
}

/** The whole document, built from scratch on each call (it is cheap: a few milliseconds). */
export function buildOpenApiDocument(): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", BEARER_AUTH, {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "A user's token (`Authorization: Bearer <token>`), as `npm run cli -- token --user <id>` or the demo seed issues it.",
  });
  registerSyncRoute(registry);
  registerCatalogRoute(registry, { security: [{ [BEARER_AUTH]: [] }], headers: shopHeaders, errorResponse });
  return new OpenApiGeneratorV31(registry.definitions, { sortComponents: "alphabetically" }).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "pos-sync REST API",
      version: "1",
      description:
        "The REST shim for legacy tills, over the same sync as the GraphQL API. Fields may be added to responses " +
        "in later versions, never renamed or removed: ignore the ones you do not know. Decide on an error's `code`, " +
        "never on its wording.",
    },
    tags: [
      { name: "sync", description: "Offline sales, exactly once." },
      { name: "catalog", description: "The catalogue a till keeps offline, with deltas." },
    ],
  });
}

/** The committed file's exact text: `npm run openapi` writes it, a test compares it. */
export function openApiJson(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}
