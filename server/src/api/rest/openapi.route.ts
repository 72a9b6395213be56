import { Router } from "express";
import { OPENAPI_JSON_PATH, buildOpenApiDocument } from "./openapi";

export const API_DOCS_PATH = "/api/docs";

/**
 * The REST contract, always: `GET /api/openapi.json`. The interactive reference (Scalar) at
 * `GET /api/docs` only outside production: it loads its script from a CDN and invites trying calls.
 */
export function openApiRoute(isProduction: boolean): Router {
  const document = buildOpenApiDocument();
  const router = Router();
  router.get(OPENAPI_JSON_PATH, (_req, res) => {
    res.json(document);
  });
  if (!isProduction) {
    let reference: Promise<Router> | undefined;
    router.get(API_DOCS_PATH, async (req, res, next) => {
      reference ??= apiReferenceRoute();
      (await reference)(req, res, next);
    });
  }
  return router;
}

/**
 * Scalar ships only as an ES module: imported on first use, so neither the CommonJS server nor
 * Jest's module loader has to require it, and production never loads it at all.
 */
async function apiReferenceRoute(): Promise<Router> {
  const { apiReference } = await import("@scalar/express-api-reference");
  return Router().get(API_DOCS_PATH, apiReference({ url: OPENAPI_JSON_PATH, pageTitle: "pos-sync REST API" }));
}
