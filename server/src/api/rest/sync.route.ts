import { Router } from "express";
import type { Services } from "../../services";
import { BadRequestError } from "../../shared/errors";
import type { Authenticator } from "../http/authenticator";

/** The legacy REST shim: exactly the seed spec's request and response, over the same SyncService. */
export function syncRoute(services: Services, authenticateRequest: Authenticator): Router {
  const router = Router();
  router.post("/", async (req, res) => {
    const auth = await authenticateRequest(req);
    const body: unknown = req.body;
    if (typeof body !== "object" || body === null || Array.isArray(body) || !("sales" in body)) {
      throw new BadRequestError('Body must be a JSON object { "sales": [...] }');
    }
    const { sales, tillState } = body as { sales: unknown; tillState?: unknown };
    const result = await services.sync.syncOfflineSales(auth, sales, tillState);
    res.json({
      synced: result.synced.map(({ clientTempId, serverId, orderId, status, warnings }) => ({ clientTempId, serverId, orderId, status, warnings })),
      errors: result.errors.map(({ clientTempId, error, retryable }) => ({ clientTempId, error, retryable })),
    });
  });
  return router;
}
