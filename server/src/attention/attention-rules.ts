import type { DataSource } from "typeorm";
import type { AttentionItem, AttentionResolution } from "./attention-item";
import { parseItemId } from "./attention-item";

/**
 * When a resolved item stays resolved: until something new happens to it.
 * - a rejection: until it is sent again (times_sent grows; the rejection row reopens itself);
 * - a sale or refund flagged for review: for good (it does not change);
 * - missing receipts: while the gap lies inside a range that was resolved for that till (a gap
 *   that shrank as sales arrived stays resolved; one that grew, or a new one, comes back);
 * - negative stock: until the stock is lower than when it was resolved;
 * - a silent till: until the till is seen again and then falls silent again.
 */
type Stored = AttentionResolution & { itemId: string; version: string };

export async function applyResolutions(db: DataSource, shopId: string, items: AttentionItem[]): Promise<AttentionItem[]> {
  const needLookup = items.filter((i) => i.kind !== "rejection");
  if (needLookup.length === 0) return items;
  const stored = await storedResolutions(db, shopId, needLookup);
  return items.map((item) => (item.kind === "rejection" ? item : { ...item, resolution: resolutionOf(item, stored) }));
}

function resolutionOf(item: AttentionItem, stored: Stored[]): AttentionResolution | null {
  const found = stored.find((r) => covers(item, r));
  return found ? { resolvedAt: found.resolvedAt, resolvedBy: found.resolvedBy, note: found.note } : null;
}

function covers(item: AttentionItem, r: Stored): boolean {
  switch (item.kind) {
    case "missing_receipts": {
      const [gap, resolved] = [parseItemId(item.id), parseItemId(r.itemId)];
      if (gap?.kind !== "missing_receipts" || resolved?.kind !== "missing_receipts") return false;
      return resolved.referent === gap.referent && resolved.from <= gap.from && resolved.to >= gap.to;
    }
    case "negative_stock":
      return r.itemId === item.id && Number(item.version) >= Number(r.version);
    case "silent_till":
      return r.itemId === item.id && r.version === item.version;
    case "review":
    case "refund_review":
      return r.itemId === item.id;
    case "rejection":
      return r.itemId === item.id && Number(item.version) <= Number(r.version);
  }
}

/** The latest resolution of each item, and every resolved gap of the tills concerned (newest first). */
async function storedResolutions(db: DataSource, shopId: string, items: AttentionItem[]): Promise<Stored[]> {
  const ids = [...new Set(items.filter((i) => i.kind !== "missing_receipts").map((i) => i.id))];
  const gapPrefixes = [...new Set(items.filter((i) => i.kind === "missing_receipts").map((i) => `gap:${i.tillId}:%`))];
  const rows: { item_id: string; version: string; resolved_at: Date; resolved_by: string | null; note: string | null }[] = await db.query(
    `SELECT DISTINCT ON (item_id) item_id, version, resolved_at, resolved_by::text AS resolved_by, note
       FROM attention_resolutions
      WHERE shop_id = $1 AND (item_id = ANY($2::text[]) OR item_id LIKE ANY($3::text[]))
      ORDER BY item_id, resolved_at DESC, id`,
    [shopId, ids, gapPrefixes],
  );
  return rows
    .map((r) => ({ itemId: r.item_id, version: r.version, resolvedAt: new Date(r.resolved_at), resolvedBy: r.resolved_by, note: r.note }))
    .sort((a, b) => b.resolvedAt.getTime() - a.resolvedAt.getTime());
}
