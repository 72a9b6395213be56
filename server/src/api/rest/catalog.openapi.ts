import type { OpenAPIRegistry, ResponseConfig } from "@asteasolutions/zod-to-openapi";
import type { z } from "zod";
import { z as zod } from "zod";
import { type ErrorCode, errorBodySchema } from "./response.schemas";
import { catalogQuerySchema, catalogResponseSchema } from "./catalog.schemas";
import { CATALOG_PATH } from "./catalog.route";

type Helpers = {
  security: Record<string, string[]>[];
  headers: z.ZodObject;
  errorResponse(code: ErrorCode, description: string): ResponseConfig;
};

/** `GET /api/pos/catalog` in the REST contract, from the schema that validates its query. */
export function registerCatalogRoute(registry: OpenAPIRegistry, { security, headers, errorResponse }: Helpers): void {
  registry.registerPath({
    method: "get",
    path: CATALOG_PATH,
    operationId: "catalogChanges",
    tags: ["catalog"],
    summary: "The catalogue a till keeps offline, as a change feed",
    description:
      "Without `since`: the whole catalogue (products on sale, customers), paged. With a previous answer's `cursor`: what changed " +
      "since, each product or customer once as it is now (stock is the server's figure), archived ones as tombstones. " +
      "While `hasMore`, ask again at once. Needs `products:read` and `customers:read` (a till has both). Same as GraphQL `catalogChanges`.",
    security,
    request: { headers, query: catalogQuerySchema },
    responses: {
      200: { description: "One page of changes.", content: { "application/json": { schema: catalogResponseSchema } } },
      400: {
        description:
          "`BAD_USER_INPUT`: `limit` is not an integer from 1 to 1000 (the message names `limit`). `BAD_REQUEST`: `since` is not a " +
          "cursor this API issued for this shop (the message names `since`), or `x-shop-id` is missing or not a UUID.",
        content: { "application/json": { schema: zod.union([errorBodySchema("BAD_USER_INPUT"), errorBodySchema("BAD_REQUEST")]) } },
      },
      401: errorResponse("UNAUTHENTICATED", "The bearer token is missing, malformed, invalid or expired."),
      403: errorResponse("FORBIDDEN", "The user is not a member of the shop, or the role lacks `products:read` or `customers:read`."),
      429: errorResponse("RATE_LIMITED", "Too many requests from this token or this address (the sync limits); retry after `Retry-After`."),
      500: errorResponse("INTERNAL_SERVER_ERROR", "A bug on the server. Retrying is safe: the feed writes nothing."),
      503: errorResponse("UNAVAILABLE", "The database is unavailable. Retry later."),
    },
  });
}
