import type { Request, RequestHandler, Response } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import { subjectOfAuthorization, tokenRulesOf } from "../../auth/tokens";
import type { AppConfig } from "../../config/config";
import { PER_PROCESS_STORES, type RateLimitStores } from "./rate-limit-store";

type Shape = (res: Response, message: string) => void;

const restShape: Shape = (res, message) => res.json({ error: message, code: "RATE_LIMITED" });
const graphqlShape: Shape = (res, message) => res.json({ errors: [{ message, extensions: { code: "RATE_LIMITED" } }] });

/**
 * Per token and per IP, on the sync endpoints. A till that hits a limit gets 429 with Retry-After
 * and backs off; one misbehaving till (or a flood of garbage tokens from one address) cannot
 * starve the others. Counters are per process, or shared by all processes through Redis
 * (REDIS_URL); a Redis outage lets sync requests through unlimited rather than stopping shops.
 *
 * "Per token" counts per verified subject (the user or the till), read by the authenticator's own
 * parse of the header: every spelling it accepts (`bearer`, `BEARER`, extra spaces or tabs) and
 * every token the subject holds count as one. The shop is not part of the key, so sending other
 * shops' ids does not buy a fresh budget. A token that does not verify is left to the per-IP limit
 * (and answered 401).
 */
export function syncRateLimits(
  config: AppConfig,
  transport: "rest" | "graphql",
  stores: RateLimitStores = PER_PROCESS_STORES,
): RequestHandler[] {
  const { windowMs, perToken, perIp } = config.rateLimit;
  const shape = transport === "rest" ? restShape : graphqlShape;
  const limiter = (name: string, limit: number, key: Parameters<typeof rateLimit>[0] & object) =>
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
      ...stores.shared(`sync-${transport}-${name}`),
    });
  const handlers: RequestHandler[] = [];
  if (perIp > 0) {
    handlers.push(limiter("ip", perIp, { keyGenerator: (req) => `ip:${ipKeyGenerator(req.ip ?? "unknown")}` }));
  }
  if (perToken > 0) {
    const subjectOf = verifiedSubjects(config);
    handlers.push(limiter("subject", perToken, { skip: (req) => subjectOf(req) === null, keyGenerator: (req) => `subject:${subjectOf(req)}` }));
  }
  return handlers;
}

/** The request's verified token subject, or null; verified once per request (skip and key both ask). */
function verifiedSubjects(config: AppConfig): (req: Request) => string | null {
  const rules = tokenRulesOf(config);
  const seen = new WeakMap<Request, string | null>();
  return (req) => {
    if (!seen.has(req)) {
      let subject: string | null = null;
      try {
        subject = subjectOfAuthorization(rules, req.headers.authorization);
      } catch {
        // not a valid token: no per-token key
      }
      seen.set(req, subject);
    }
    return seen.get(req) ?? null;
  };
}
