import { Router } from "express";
import type { z } from "zod";
import type { CatalogPage } from "../../catalog/catalog-feed.service";
import type { Services } from "../../services";
import { parseInput } from "../../shared/input";
import { centsToAmount } from "../../shared/money";
import type { Authenticator } from "../http/authenticator";
import { catalogQuerySchema, type catalogResponseSchema } from "./catalog.schemas";

export const CATALOG_PATH = "/api/pos/catalog";

/** The catalogue feed for legacy tills: the same service as GraphQL `catalogChanges`. */
export function catalogRoute(services: Services, authenticateRequest: Authenticator): Router {
  const router = Router();
  router.get("/", async (req, res) => {
    const auth = await authenticateRequest(req);
    // `?since=&limit=` is the legacy tills' template: an empty value is an absent one (the first pull, the default page).
    const present = Object.fromEntries(Object.entries(req.query).filter(([, value]) => value !== ""));
    const query = parseInput(catalogQuerySchema, present);
    const page = await services.catalog.changes(auth, query.since, query.limit, { since: "since", first: "limit" });
    res.json(bodyOf(page));
  });
  return router;
}

function bodyOf(page: CatalogPage): z.infer<typeof catalogResponseSchema> {
  return {
    products: page.products.map((p) => ({
      id: p.id,
      name: p.name,
      sku: p.sku,
      price: centsToAmount(p.priceCents),
      stock: p.stock,
      lowStockThreshold: p.lowStockThreshold,
      archivedAt: p.archivedAt ? p.archivedAt.toISOString() : null,
    })),
    customers: page.customers.map((c) => ({ id: c.id, name: c.name, email: c.email, phone: c.phone })),
    archived: page.archived,
    cursor: page.cursor,
    hasMore: page.hasMore,
  };
}
