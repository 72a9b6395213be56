import { type KeyObject, createSecretKey } from "node:crypto";
import jwt from "jsonwebtoken";
import { UnauthenticatedError } from "../shared/errors";

/** HS256 only: pinning the algorithm is what stops `alg: none` and key-confusion tokens. */
const ALGORITHM = "HS256" as const;

export function issueToken(secret: string, userId: string, ttl: string | number = "8h"): string {
  return jwt.sign({}, secret, {
    algorithm: ALGORITHM,
    subject: userId,
    expiresIn: ttl as jwt.SignOptions["expiresIn"],
  });
}

/** Returns the user id. Every failure says the same thing: the reason is logged, not leaked. */
export function verifyToken(secret: string, token: string): string {
  try {
    const payload = jwt.verify(token, secretKeyOf(secret), { algorithms: [ALGORITHM] });
    if (typeof payload === "object" && typeof payload.sub === "string" && payload.sub.length > 0) {
      return payload.sub;
    }
  } catch {
    // fall through to the single answer below
  }
  throw new UnauthenticatedError("Invalid or expired token");
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
