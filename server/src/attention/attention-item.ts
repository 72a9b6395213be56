/**
 * One thing a person must look at. The id is derived from the kind and what it refers to, so the
 * same problem keeps the same id across requests (and a resolution can name it):
 * `rejection:<rejectionId>`, `review:<saleId>`, `gap:<tillId>:<from>-<to>`, `stock:<productId>`,
 * `silent:<tillId>`, `refund-review:<refundId>`. `version` is the item's state when it was read; a resolution stores it, and
 * the item comes back only when its state moves past it (attention-rules.ts).
 */
export type AttentionKind = "rejection" | "review" | "missing_receipts" | "negative_stock" | "silent_till" | "refund_review";
export type ReferentKind = "sale_rejection" | "sale" | "till" | "product" | "refund";

export type AttentionResolution = { resolvedAt: Date; resolvedBy: string | null; note: string | null };

export type AttentionItem = {
  id: string;
  kind: AttentionKind;
  tillId: string | null;
  at: Date;
  message: string;
  refersTo: { kind: ReferentKind; id: string };
  version: string;
  resolution: AttentionResolution | null;
};

export type ParsedItemId =
  | { kind: "rejection" | "review" | "negative_stock" | "silent_till" | "refund_review"; referent: string }
  | { kind: "missing_receipts"; referent: string; from: number; to: number };

const PREFIX: Record<AttentionKind, string> = {
  rejection: "rejection",
  review: "review",
  missing_receipts: "gap",
  negative_stock: "stock",
  silent_till: "silent",
  refund_review: "refund-review",
};

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const SIMPLE_ID = new RegExp(`^(rejection|review|stock|silent|refund-review):(${UUID})$`, "i");
const GAP_ID = new RegExp(`^gap:(${UUID}):(\\d{1,10})-(\\d{1,10})$`, "i");
const KIND_OF: Record<string, Exclude<AttentionKind, "missing_receipts">> = {
  rejection: "rejection",
  review: "review",
  stock: "negative_stock",
  silent: "silent_till",
  "refund-review": "refund_review",
};

export function itemId(kind: AttentionKind, referent: string): string {
  return `${PREFIX[kind]}:${referent}`;
}

export function gapItemId(tillId: string, from: number, to: number): string {
  return itemId("missing_receipts", `${tillId}:${from}-${to}`);
}

/** Null for anything that is not an id this service issues. */
export function parseItemId(id: string): ParsedItemId | null {
  const simple = SIMPLE_ID.exec(id);
  if (simple) return { kind: KIND_OF[simple[1].toLowerCase()], referent: simple[2].toLowerCase() };
  const gap = GAP_ID.exec(id);
  if (!gap) return null;
  const [from, to] = [Number(gap[2]), Number(gap[3])];
  return from >= 1 && from <= to ? { kind: "missing_receipts", referent: gap[1].toLowerCase(), from, to } : null;
}
