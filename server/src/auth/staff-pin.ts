import { pbkdf2, randomBytes, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";

/**
 * A cashier's PIN as the till needs it to check the PIN offline: PBKDF2-SHA256 with a random
 * per-member salt, which a browser verifies with WebCrypto alone:
 *
 *   const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(pin), "PBKDF2", false, ["deriveBits"]);
 *   const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
 *   // equal to base64-decoded `hash`: the PIN is right
 *
 * A PIN of 4 to 8 digits has at most 10^8 values, so no hash keeps it secret from someone who
 * copies the till's storage; the hash only keeps PINs out of plain sight. That is why a PIN is
 * never a credential to the server: it picks the cashier on a till that is already trusted.
 */
export const PIN_ALGORITHM = "PBKDF2-SHA256";
/** About 50-150 ms per check on a till's browser; stored with each hash, so it can be raised later. */
export const PIN_ITERATIONS = 100_000;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const PIN = /^\d{4,8}$/;

export type PinHash = { algorithm: typeof PIN_ALGORITHM; iterations: number; salt: string; hash: string };

const derive = promisify(pbkdf2);

export function isValidPin(pin: unknown): pin is string {
  return typeof pin === "string" && PIN.test(pin);
}

/** salt and hash in standard base64 (what `atob` reads). */
export async function hashPin(pin: string, iterations = PIN_ITERATIONS): Promise<PinHash> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(pin, salt, iterations, KEY_BYTES, "sha256");
  return { algorithm: PIN_ALGORITHM, iterations, salt: salt.toString("base64"), hash: key.toString("base64") };
}

/** What the till does, for tests and tools: the server itself never checks a PIN. */
export async function pinMatches(pin: string, stored: PinHash): Promise<boolean> {
  const key = await derive(pin, Buffer.from(stored.salt, "base64"), stored.iterations, KEY_BYTES, "sha256");
  const expected = Buffer.from(stored.hash, "base64");
  return expected.length === key.length && timingSafeEqual(expected, key);
}
