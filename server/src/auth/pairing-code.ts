import { createHash, randomInt } from "node:crypto";

/** No 0/O or 1/I: the code is read off a manager's screen and typed at a till. */
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
export const PAIRING_CODE_LENGTH = 8;
/** How long a pairing code can be used; it is also single use. */
export const PAIRING_CODE_TTL_MS = 10 * 60 * 1000;

/** 8 characters of 32: 40 bits, about 1.1e12 codes; guessing is capped by the per-address rate limit. */
export function newPairingCode(): string {
  let code = "";
  for (let i = 0; i < PAIRING_CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** What a person typed, as the code it means (case, spaces and dashes ignored), or null if it cannot be one. */
export function normalisePairingCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, "");
  if (code.length !== PAIRING_CODE_LENGTH) return null;
  return [...code].every((c) => ALPHABET.includes(c)) ? code : null;
}

/** Only this is stored: a database leak does not hand out the codes that are still valid. */
export function pairingCodeHash(code: string): string {
  return createHash("sha256").update(`till-pairing:${code}`).digest("hex");
}

/** `T01`, `T02`, ... `T99`, `T100`: the n-th till of a shop. */
export function tillCode(n: number): string {
  return `T${String(n).padStart(2, "0")}`;
}
