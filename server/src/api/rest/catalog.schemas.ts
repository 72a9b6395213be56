import { z } from "zod";
import { MAX_CATALOG_PAGE } from "../../catalog/catalog-feed.service";

/**
 * `GET /api/pos/catalog`: the query the route validates (and the OpenAPI document shows) and the
 * answer it gives. The route maps the service's page field by field.
 */
export const catalogQuerySchema = z.object({
  since: z.string({ error: "must be one cursor string" }).optional().meta({
    description: "The `cursor` of a previous answer: what changed after it. Absent or empty: the whole catalogue, paged. Opaque and bound to the shop.",
  }),
  limit: z.coerce
    .number({ error: `must be an integer from 1 to ${MAX_CATALOG_PAGE}` })
    .int({ error: `must be an integer from 1 to ${MAX_CATALOG_PAGE}` })
    .min(1, { error: `must be an integer from 1 to ${MAX_CATALOG_PAGE}` })
    .max(MAX_CATALOG_PAGE, { error: `must be an integer from 1 to ${MAX_CATALOG_PAGE}` })
    .optional()
    .meta({ description: `Changes per page, 1..${MAX_CATALOG_PAGE} (500 when absent or empty).`, type: "integer" }),
});

const catalogProductSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    sku: z.string(),
    price: z.number().meta({ description: "The current list price, exact to the cent." }),
    stock: z.number().int().meta({ description: "The server's figure, all tills' sales included; may be negative." }),
    lowStockThreshold: z.number().int(),
    archivedAt: z.string().nullable().meta({ description: "Always null here: an archived product comes as a tombstone in `archived`." }),
  })
  .meta({ id: "CatalogProduct" });

const catalogCustomerSchema = z
  .object({ id: z.uuid(), name: z.string(), email: z.string().nullable(), phone: z.string().nullable() })
  .meta({ id: "CatalogCustomer" });

const archivedEntrySchema = z
  .object({ id: z.uuid(), kind: z.enum(["PRODUCT", "CUSTOMER"]) })
  .meta({ id: "ArchivedEntry", description: "A tombstone: drop this product or customer from what the till offers." });

export const catalogResponseSchema = z
  .object({
    products: z.array(catalogProductSchema).meta({ description: "Changed products as they are now, each once." }),
    customers: z.array(catalogCustomerSchema).meta({ description: "Changed customers as they are now, each once." }),
    archived: z.array(archivedEntrySchema),
    cursor: z.string().meta({ description: "Pass as `since` next time. Never passes a change still being written." }),
    hasMore: z.boolean().meta({ description: "More changes are ready now: ask again at once with `cursor`." }),
  })
  .meta({ id: "CatalogPage", description: "One page of the shop's catalogue changes." });
