import { type RequestHandler, Router } from "express";
import type { DataSource } from "typeorm";
import { ServiceUnavailableError } from "../../shared/errors";

/**
 * /healthz: the process answers. /readyz: the database answers too (load balancers route on this),
 * within `readyTimeoutMs` when given, so a database that hangs makes it say 503, not hang with it.
 */
export function healthRoutes(dataSource: DataSource, isDraining: () => boolean, readyTimeoutMs?: number): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    if (isDraining()) {
      res.status(503).json({ status: "draining" });
      return;
    }
    try {
      await withDeadline(dataSource.query("SELECT 1"), readyTimeoutMs);
      res.json({ status: "ready" });
    } catch {
      res.status(503).json({ status: "database unavailable" });
    }
  });
  return router;
}

/** While draining, every answer closes its connection, so a keep-alive client moves to another instance. */
export function closeConnectionsWhileDraining(isDraining: () => boolean): RequestHandler {
  return (_req, res, next) => {
    if (isDraining()) res.setHeader("connection", "close");
    next();
  };
}

/** A request that arrives on an open connection while draining is refused: 503, retry elsewhere or later. */
export function refuseWhileDraining(isDraining: () => boolean): RequestHandler {
  return (_req, _res, next) => {
    next(isDraining() ? new ServiceUnavailableError("The server is shutting down; nothing was recorded. Retry.") : undefined);
  };
}

/** The query itself stays bounded by the connection's own deadline; readiness just stops waiting for it. */
function withDeadline<T>(work: Promise<T>, ms: number | undefined): Promise<T> {
  if (ms === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
