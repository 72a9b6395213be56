/** What the server sends for a member's PIN (StaffMember.pinHash): PBKDF2-SHA256, base64 salt and hash. */
export type PinHash = { algorithm: string; iterations: number; salt: string; hash: string };

export const PIN_PATTERN = /^\d{4,8}$/;

/**
 * Checks a PIN on the till, offline, with WebCrypto alone: PBKDF2-SHA256(pin, salt, iterations)
 * must give the 32 bytes of `hash`. A PIN only picks the cashier on a till that is already trusted;
 * it is never sent to the server (see the README for why it is not a credential).
 */
export async function pinMatches(pin: string, stored: PinHash): Promise<boolean> {
  if (stored.algorithm !== "PBKDF2-SHA256" || !PIN_PATTERN.test(pin)) return false;
  const subtle = globalThis.crypto.subtle;
  const key = await subtle.importKey("raw", new TextEncoder().encode(pin), "PBKDF2", false, ["deriveBits"]);
  const bits = await subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: fromBase64(stored.salt), iterations: stored.iterations }, key, 256);
  return sameBytes(new Uint8Array(bits), fromBase64(stored.hash));
}

function fromBase64(value: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(value), (c) => c.charCodeAt(0));
}

/** Compares every byte whatever the first difference, so the time does not tell how much matched. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i] ^ b[i];
  return difference === 0;
}
