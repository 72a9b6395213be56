import { type KeyObject, createSecretKey } from "node:crypto";
import jwt from "jsonwebtoken";
import type { AppConfig } from "../config/config";
import { UnauthenticatedError } from "../shared/errors";

/** HS256 only: pinning the algorithm is what stops `alg: none` and key-confusion tokens. */
const ALGORITHM = "HS256" as const;

/** How tokens are checked: the HS256 secret, and the longest lifetime (exp - iat) one may claim. */
export type TokenRules = { secret: string; maxLifetimeSeconds: number };

export function tokenRulesOf(config: Pick<AppConfig, "jwtSecret" | "jwtMaxTtlSeconds">): TokenRules {
  return { secret: config.jwtSecret, maxLifetimeSeconds: config.jwtMaxTtlSeconds };
}

/** How far the signer's clock may run ahead of ours when it stamps `iat`. */
const CLOCK_TOLERANCE_SECONDS = 60;

export function issueToken(secret: string, userId: string, ttl: string | number = "8h"): string {
  return jwt.sign({}, secret, {
    algorithm: ALGORITHM,
    subject: userId,
    expiresIn: ttl as jwt.SignOptions["expiresIn"],
  });
}

/** The lifetime a token claims (exp - iat, in seconds), or null when it lacks either; not verified. */
export function lifetimeOf(token: string): number | null {
  const payload = jwt.decode(token);
  if (typeof payload !== "object" || payload === null) return null;
  return typeof payload.exp === "number" && typeof payload.iat === "number" ? payload.exp - payload.iat : null;
}

/**
 * Returns the token's subject. Besides the signature and expiry that jsonwebtoken checks, the
 * token must carry `exp` and `iat` (a correctly signed token without `exp` would be valid forever),
 * claim a lifetime of at most `maxLifetimeSeconds`, and not be issued in the future. Every failure
 * says the same thing: the reason is not leaked.
 */
export function verifyToken(rules: TokenRules, token: string, nowMs: number = Date.now()): string {
  try {
    const payload = jwt.verify(token, secretKeyOf(rules.secret), { algorithms: [ALGORITHM] });
    if (typeof payload === "object" && typeof payload.sub === "string" && payload.sub.length > 0) {
      const { exp, iat } = payload;
      if (typeof exp !== "number" || typeof iat !== "number") throw new Error("no exp or iat");
      if (exp - iat <= rules.maxLifetimeSeconds && iat <= nowMs / 1000 + CLOCK_TOLERANCE_SECONDS) return payload.sub;
    }
  } catch {
    // fall through to the single answer below
  }
  throw new UnauthenticatedError("Invalid or expired token");
}

/**
 * The token of an `Authorization: Bearer <token>` header, the scheme in any case, with any spaces
 * or tabs around: the one reading of the header, for authentication and the per-token rate limit.
 */
export function bearerTokenOf(authorization: string | undefined): string {
  if (!authorization) throw new UnauthenticatedError("Missing bearer token");
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) throw new UnauthenticatedError("Authorization header must be 'Bearer <token>'");
  return match[1];
}

/** The verified subject of an Authorization header; throws UnauthenticatedError. */
export function subjectOfAuthorization(rules: TokenRules, authorization: string | undefined): string {
  return verifyToken(rules, bearerTokenOf(authorization));
}

/**
 * Given a string, jsonwebtoken first tries to parse it as a PEM public key and throws, on every
 * call (about a tenth of the server's CPU under one-sale load); a ready KeyObject skips that.
 */
const secretKeys = new Map<string, KeyObject>();
function secretKeyOf(secret: string): KeyObject {
  let key = secretKeys.get(secret);
  if (!key) secretKeys.set(secret, (key = createSecretKey(Buffer.from(secret))));
  return key;
}
