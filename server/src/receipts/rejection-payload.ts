import { MAX_ITEMS_PER_SALE } from "../sync/offline-sale.schema";

/**
 * A refused sale's payload as the till sent it, bounded by the request's own limits, so a kept
 * rejection can never be larger than a sale the server would accept: arrays up to
 * MAX_ITEMS_PER_SALE entries, objects up to MAX_KEYS keys, strings up to MAX_STRING characters,
 * nesting up to MAX_DEPTH; whatever is cut is marked (`"…"`, `truncated: true`). Text PostgreSQL's
 * jsonb cannot hold (NUL, unpaired surrogates) is replaced by U+FFFD, so storing it cannot fail.
 */
const MAX_DEPTH = 4;
const MAX_KEYS = 20;
const MAX_STRING = 200;
/** After the bounds above; a payload still larger is kept as its scalar fields only. */
export const MAX_REJECTION_PAYLOAD_BYTES = 256 * 1024;
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function boundedPayload(raw: unknown): string {
  const state = { truncated: false };
  const copy = bounded(raw, 0, state);
  const body = typeof copy === "object" && copy !== null && !Array.isArray(copy) ? copy : { value: copy };
  if (state.truncated) (body as Record<string, unknown>).truncated = true;
  const text = JSON.stringify(body);
  if (Buffer.byteLength(text) <= MAX_REJECTION_PAYLOAD_BYTES) return text;
  const scalars = Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v !== "object" || v === null));
  return JSON.stringify({ ...scalars, truncated: true, bytes: Buffer.byteLength(text) });
}

function bounded(value: unknown, depth: number, state: { truncated: boolean }): unknown {
  if (typeof value === "string") return boundedString(value, state);
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "boolean" || value === null || value === undefined) return value ?? null;
  if (typeof value !== "object") return null;
  if (depth >= MAX_DEPTH) return (state.truncated = true), "…";
  if (Array.isArray(value)) {
    if (value.length > MAX_ITEMS_PER_SALE) state.truncated = true;
    return value.slice(0, MAX_ITEMS_PER_SALE).map((v) => bounded(v, depth + 1, state));
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length > MAX_KEYS) state.truncated = true;
  return Object.fromEntries(entries.slice(0, MAX_KEYS).map(([k, v]) => [boundedString(k, state), bounded(v, depth + 1, state)]));
}

function boundedString(text: string, state: { truncated: boolean }): string {
  const clean = text.replace(UNSTORABLE, "\uFFFD");
  if (clean.length <= MAX_STRING) return clean;
  state.truncated = true;
  return `${clean.slice(0, MAX_STRING).replace(UNSTORABLE, "\uFFFD")}…`;
}
