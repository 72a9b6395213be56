import { hash, verify } from "@node-rs/argon2";

/**
 * Passwords are argon2id (the package's defaults are OWASP's: 19 MiB, 2 passes, 1 lane), stored as
 * PHC strings that carry their own parameters and salt.
 */
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 1024;

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/**
 * A hash of a password nobody has, made once per process with the same parameters: checking a
 * login for an unknown email (or a user without a password) against it costs what a real check
 * costs, so the answer's timing does not tell which emails exist.
 */
let dummyHash: Promise<string> | undefined;

/** True only when `stored` is a hash of `password`; with no stored hash it still does the work. */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  dummyHash ??= hash("no user has this password: it only spends the same time");
  const target = stored ?? (await dummyHash);
  try {
    const matches = await verify(target, password);
    return stored !== null && matches;
  } catch {
    // A malformed stored hash is a failed login, never a 500.
    return false;
  }
}
