import { Router } from "express";
import type { Services } from "../../services";
import { BadRequestError } from "../../shared/errors";
import type { EntityResult } from "../../sync/entity-outcome";
import type { SyncResult } from "../../sync/sync.types";
import type { Authenticator } from "../http/authenticator";

type Body = { sales?: unknown; customers?: unknown; refunds?: unknown; tillState?: unknown };

/**
 * The legacy REST shim: exactly the seed spec's request and response, over the same SyncService.
 * A body that also carries `customers` or `refunds` is a whole offline day (OfflineSyncService)
 * and is answered with their results beside `synced`/`errors`; a body with `sales` only is
 * answered exactly as before, with no new keys.
 */
export function syncRoute(services: Services, authenticateRequest: Authenticator): Router {
  const router = Router();
  router.post("/", async (req, res) => {
    const auth = await authenticateRequest(req);
    const body: unknown = req.body;
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new BadRequestError('Body must be a JSON object { "sales": [...] }');
    const { sales, customers, refunds, tillState } = body as Body;
    const offlineDay = customers !== undefined || refunds !== undefined;
    if (!offlineDay) {
      if (!("sales" in body)) throw new BadRequestError('Body must be a JSON object { "sales": [...] }');
      return void res.json(salesBody(await services.sync.syncOfflineSales(auth, sales, tillState)));
    }
    const result = await services.offlineSync.syncOffline(auth, { customers, sales, refunds, tillState });
    res.json({
      ...salesBody(result.sales),
      syncedCustomers: syncedOf(result.customers),
      customerErrors: errorsOf(result.customers),
      syncedRefunds: syncedOf(result.refunds),
      refundErrors: errorsOf(result.refunds),
    });
  });
  return router;
}

function salesBody(result: SyncResult) {
  return {
    synced: result.synced.map(({ clientTempId, serverId, orderId, status, warnings }) => ({ clientTempId, serverId, orderId, status, warnings })),
    errors: result.errors.map(({ clientTempId, error, retryable }) => ({ clientTempId, error, retryable })),
  };
}

const syncedOf = (r: EntityResult) => r.synced.map(({ clientTempId, serverId, status, warnings }) => ({ clientTempId, serverId, status, warnings }));
const errorsOf = (r: EntityResult) => r.errors.map(({ clientTempId, error, retryable }) => ({ clientTempId, error, retryable }));
