import { createHash } from "node:crypto";
import type { RequestHandler, Response } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import type { AppConfig } from "../../config/config";

type Shape = (res: Response, message: string) => void;

const restShape: Shape = (res, message) => res.json({ error: message, code: "RATE_LIMITED" });
const graphqlShape: Shape = (res, message) => res.json({ errors: [{ message, extensions: { code: "RATE_LIMITED" } }] });

/**
 * Per token and per IP, on the sync endpoints. A till that hits a limit gets 429 with Retry-After
 * and backs off; one misbehaving till (or a flood of garbage tokens from one address) cannot
 * starve the others. The token is keyed by its hash, never stored. Counters are per process.
 */
export function syncRateLimits(config: AppConfig, transport: "rest" | "graphql"): RequestHandler[] {
  const { windowMs, perToken, perIp } = config.rateLimit;
  const shape = transport === "rest" ? restShape : graphqlShape;
  const limiter = (limit: number, key: Parameters<typeof rateLimit>[0] & object) =>
    rateLimit({
      windowMs,
      limit,
      standardHeaders: "draft-7",
      legacyHeaders: false,
      handler: (_req, res, _next, options) => {
        res.status(options.statusCode);
        shape(res, `Too many requests; retry after ${Math.ceil(windowMs / 1000)} s at most (see Retry-After)`);
      },
      ...key,
    });
  const handlers: RequestHandler[] = [];
  if (perIp > 0) {
    handlers.push(limiter(perIp, { keyGenerator: (req) => `ip:${ipKeyGenerator(req.ip ?? "unknown")}` }));
  }
  if (perToken > 0) {
    handlers.push(
      limiter(perToken, {
        skip: (req) => !req.headers.authorization,
        keyGenerator: (req) => `token:${createHash("sha256").update(req.headers.authorization ?? "").digest("base64url")}`,
      }),
    );
  }
  return handlers;
}
