import { createHash } from "node:crypto";
import type { Request, RequestHandler } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import type { AppConfig } from "../../config/config";

/**
 * Guessing limits on the routes that take a secret without a bearer token: failed logins per email
 * and per address, failed pairings per address. Only failures count (a successful answer gives its
 * slot back), so a shop whose staff all sign in from one address is not locked out by its own
 * logins. Beyond a limit: 429 with Retry-After, before any password is hashed. Per process.
 */
export type AuthRateLimits = { login: RequestHandler[]; pair: RequestHandler[] };

export function authRateLimits(config: Pick<AppConfig, "authRateLimit">): AuthRateLimits {
  const { windowMs, loginPerEmail, loginPerIp, pairPerIp } = config.authRateLimit;
  const limiter = (name: string, limit: number, keyOf: (req: Request) => string | null): RequestHandler[] =>
    limit > 0
      ? [
          rateLimit({
            windowMs,
            limit,
            standardHeaders: "draft-7",
            legacyHeaders: false,
            skipSuccessfulRequests: true,
            skip: (req) => keyOf(req) === null,
            keyGenerator: (req) => `${name}:${keyOf(req)}`,
            handler: (_req, res, _next, options) => {
              res.status(options.statusCode).json({
                error: `Too many failed attempts; retry after ${Math.ceil(windowMs / 1000)} s at most (see Retry-After)`,
                code: "RATE_LIMITED",
              });
            },
          }),
        ]
      : [];
  const address = (req: Request) => ipKeyGenerator(req.ip ?? "unknown");
  return {
    login: [...limiter("login-ip", loginPerIp, address), ...limiter("login-email", loginPerEmail, emailKey)],
    pair: limiter("pair-ip", pairPerIp, address),
  };
}

/** The email as logins match it, hashed: the limiter's memory holds no addresses. */
function emailKey(req: Request): string | null {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  if (typeof email !== "string") return null;
  return createHash("sha256").update(email.trim().toLowerCase()).digest("base64url");
}
