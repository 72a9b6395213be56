import { createHash } from "node:crypto";
import type { Request, RequestHandler } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import type { AppConfig } from "../../config/config";
import { PER_PROCESS_STORES, type RateLimitStores } from "./rate-limit-store";

/**
 * Guessing limits on the routes that take a secret without a bearer token: failed logins per email
 * and per address, failed pairings per address. Only failures count (a successful answer gives its
 * slot back), so a shop whose staff all sign in from one address is not locked out by its own
 * logins. Beyond a limit: 429 with Retry-After, before any password is hashed.
 *
 * Each limit is counted in this process's memory; with Redis (REDIS_URL) it is also counted in
 * Redis, shared by all processes, so N processes behind a load balancer do not give N budgets.
 * The memory count goes first and stays: when Redis fails the shared limiter lets requests
 * through, and the memory one still stops a guesser at the same limit per process.
 */
export type AuthRateLimits = { login: RequestHandler[]; pair: RequestHandler[] };

export function authRateLimits(config: Pick<AppConfig, "authRateLimit">, stores: RateLimitStores = PER_PROCESS_STORES): AuthRateLimits {
  const { windowMs, loginPerEmail, loginPerIp, pairPerIp } = config.authRateLimit;
  const limiter = (name: string, limit: number, keyOf: (req: Request) => string | null): RequestHandler[] => {
    if (limit <= 0) return [];
    const options = {
      windowMs,
      limit,
      standardHeaders: "draft-7" as const,
      legacyHeaders: false,
      skipSuccessfulRequests: true,
      skip: (req: Request) => keyOf(req) === null,
      keyGenerator: (req: Request) => `${name}:${keyOf(req)}`,
      handler: tooManyAttempts(windowMs),
    };
    const shared = stores.shared(name);
    return shared ? [rateLimit(options), rateLimit({ ...options, ...shared })] : [rateLimit(options)];
  };
  const address = (req: Request) => ipKeyGenerator(req.ip ?? "unknown");
  return {
    login: [...limiter("login-ip", loginPerIp, address), ...limiter("login-email", loginPerEmail, emailKey)],
    pair: limiter("pair-ip", pairPerIp, address),
  };
}

function tooManyAttempts(windowMs: number): NonNullable<Parameters<typeof rateLimit>[0]>["handler"] {
  return (_req, res, _next, options) => {
    res.status(options.statusCode).json({
      error: `Too many failed attempts; retry after ${Math.ceil(windowMs / 1000)} s at most (see Retry-After)`,
      code: "RATE_LIMITED",
    });
  };
}

/** The email as logins match it, hashed: the limiter's memory holds no addresses. */
function emailKey(req: Request): string | null {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  if (typeof email !== "string") return null;
  return createHash("sha256").update(email.trim().toLowerCase()).digest("base64url");
}
