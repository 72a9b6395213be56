import { randomInt } from "node:crypto";

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O or 1/I: read aloud at a till

function randomChars(n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** `ORD-ABC123-XYZ`: 32^9 (about 3.5e13) per shop; the unique key plus a retry handles the rare clash. */
export function newOrderNumber(): string {
  return `ORD-${randomChars(6)}-${randomChars(3)}`;
}
