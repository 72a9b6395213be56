import { Router } from "express";
import type { DataSource } from "typeorm";

/** /healthz: the process answers. /readyz: the database answers too (load balancers route on this). */
export function healthRoutes(dataSource: DataSource, isDraining: () => boolean): Router {
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
      await dataSource.query("SELECT 1");
      res.json({ status: "ready" });
    } catch {
      res.status(503).json({ status: "database unavailable" });
    }
  });
  return router;
}
