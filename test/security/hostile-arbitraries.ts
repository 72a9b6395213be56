import fc from "fast-check";

/**
 * Generators of hostile JSON *text* (not values), so that what JSON.stringify cannot write still
 * reaches the server: NaN, 1e999, -0, duplicated keys, unbalanced depth, lone surrogates.
 * Deterministic by default; FC_SEED=<n> replays or explores another seed.
 */
export const FC_SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : 20261125;
export const runs = (numRuns: number) => ({ seed: FC_SEED, numRuns, endOnFailure: true });

/** Where in one sale the hostile value goes, in the server's own path notation ("" is the sale). */
export const SALE_PATHS = [
  "",
  "clientTempId",
  "items",
  "items[0]",
  "items[0].productId",
  "items[0].quantity",
  "items[0].price",
  "items[0].discountPercent",
  "totalAmount",
  "customerId",
  "createdAt",
] as const;
export type SalePath = (typeof SALE_PATHS)[number];

/** A raw JSON fragment, or the instruction to drop the key. */
export type Hostile = { kind: string; text: string } | { kind: "missing" };

const deep = (depth: number, open: string, leaf: string, close: string) => open.repeat(depth) + leaf + close.repeat(depth);

/** Literals that are not JSON at all: the whole body must be refused with 400. */
export const NOT_JSON = ["NaN", "Infinity", "-Infinity", "+1", ".5", "0x10", "01", "1_000", "undefined", "'x'"];

const specialNumbers = fc.constantFrom(
  "-0", "-0.0", "0e0", "1e999", "-1e999", "1e-999", "1e308", "5e-324", "9007199254740993", "100000000000000000000",
  "0.1", "1.005", "0.30000000000000004", "1E2", "-1", "1.5", "100000", "100001", "10000000.01",
);

const unicodeStrings = fc.oneof(
  fc.constantFrom(
    "\ud800", "\udfff", "a\udc00b", "\u202eevil\u202c", "\u200f\u0645\u0631\u062d\u0628\u0627", "🧾💸👩🏽‍💻", "\u0000",
    "x\u0000y", "\ufeff", "e\u0301", "\u2028\u2029", "０１２３", "١٢٣", "2024-01-15T10:30:00Z\u0000",
    "2024-01-15T10:30:00\u202eZ", "00000000-0000-4000-8000-00000000000\u0661",
  ),
  fc.string({ unit: "binary", maxLength: 40 }),
);

const edgeDates = fc.constantFrom(
  "0000-01-01T00:00:00Z", "9999-12-31T23:59:59-14:00", "1970-01-01T00:00:00Z", "2024-02-30T10:00:00Z",
  "2024-01-15T24:00:00Z", "2024-01-15T10:30:00.123456789+05:45", "2024-01-15t10:30:00z", "2024-01-15T10:30Z",
);

export const hostileValue: fc.Arbitrary<Hostile> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => ({ kind: "wrong type", text: JSON.stringify(v) ?? "null" })),
  specialNumbers.map((text) => ({ kind: "special number", text })),
  unicodeStrings.map((s) => ({ kind: "unicode", text: JSON.stringify(s) })),
  edgeDates.map((s) => ({ kind: "edge date", text: JSON.stringify(s) })),
  fc.constantFrom(1_000, 100_000, 1_000_000).map((n) => ({ kind: "huge string", text: JSON.stringify("x".repeat(n)) })),
  fc
    .tuple(fc.constantFrom(100, 5_000, 50_000), fc.constantFrom<[string, string, string]>(["[", "1", "]"], ['{"a":', "1", "}"]))
    .map(([depth, [o, l, c]]) => ({ kind: `deep ${depth}`, text: deep(depth, o, l, c) })),
  fc.constant({ kind: "missing" as const }),
);

/** The JSON text of `sale` with the value at `path` replaced by (or deleted for) the hostile one. */
export function withHostile(sale: Record<string, unknown>, path: SalePath, hostile: Hostile): string {
  return withHostileAt(sale, path, hostile);
}

/** The JSON text of `value` with the value at `path` (`a.b[0].c`, "" for the whole) replaced by (or deleted for) the hostile one. */
export function withHostileAt(value: Record<string, unknown>, path: string, hostile: Hostile): string {
  if (path === "") return "text" in hostile ? hostile.text : "null";
  const copy = structuredClone(value) as Record<string, unknown>;
  const keys = path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== "");
  let parent: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) parent = parent[k] as Record<string, unknown>;
  const last = keys[keys.length - 1];
  const marker = "\u0001HOSTILE\u0001";
  if (!("text" in hostile)) {
    delete parent[last];
    return JSON.stringify(copy);
  }
  parent[last] = marker;
  const { text } = hostile;
  return JSON.stringify(copy).replace(JSON.stringify(marker), () => text);
}

/**
 * The sale's text with `key` written twice: `first` then the real value, or the real value then
 * `first` (the server must read it the way JSON.parse does: the last one wins).
 */
export function withDuplicateKey(saleText: string, key: string, other: string, otherLast: boolean): string {
  const at = saleText.indexOf(`"${key}":`);
  if (at < 0) return saleText;
  if (!otherLast) return `${saleText.slice(0, at)}"${key}":${other},${saleText.slice(at)}`;
  const end = endOfValue(saleText, at + key.length + 3);
  return `${saleText.slice(0, end)},"${key}":${other}${saleText.slice(end)}`;
}

/** The end of the JSON value starting at `i` (a string, number, literal or balanced container). */
function endOfValue(text: string, i: number): number {
  let depth = 0;
  let inString = false;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (inString) {
      if (c === "\\") j++;
      else if (c === '"') {
        inString = false;
        if (depth === 0) return j + 1;
      }
    } else if (c === '"') inString = true;
    else if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") {
      if (depth === 0) return j;
      depth--;
      if (depth === 0) return j + 1;
    } else if (c === "," && depth === 0) return j;
  }
  return text.length;
}
