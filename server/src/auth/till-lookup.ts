import type { DataSource } from "typeorm";
import { MEMBERSHIP_TTL_MS } from "./membership-lookup";

/** Whether a till's credential still works in a shop: null when the shop has no such till. */
export type TillStatus = "active" | "revoked";
export type TillLookup = (shopId: string, tillId: string) => Promise<TillStatus | null>;

/** lastSeenAt is written at most this often per till (per process), never once per request. */
export const LAST_SEEN_EVERY_MS = 60_000;
const MAX_ENTRIES = 50_000;

/**
 * Cached for the same few seconds as a user's membership, so a revoked till's access tokens stop
 * working within that time, and a till syncing every few seconds costs no query per request.
 * Each answered request of an active till may also note when the till was last seen: one UPDATE a
 * minute at most, fired without making the request wait (a missed one is retried on the next).
 */
export function cachedTillLookup(dataSource: DataSource, ttlMs = MEMBERSHIP_TTL_MS, lastSeenEveryMs = LAST_SEEN_EVERY_MS): TillLookup {
  const status = new BoundedMap<TillStatus | null>();
  const seen = new BoundedMap<boolean>();
  return async (shopId, tillId) => {
    const key = `${shopId}/${tillId}`;
    const now = Date.now();
    let hit = status.get(key, now);
    if (hit === undefined) {
      const rows: { active: boolean }[] = await dataSource.query(
        "SELECT revoked_at IS NULL AS active FROM tills WHERE shop_id = $1 AND id = $2",
        [shopId, tillId],
      );
      hit = rows.length === 0 ? null : rows[0].active ? "active" : "revoked";
      status.set(key, hit, now + ttlMs);
    }
    if (hit === "active" && seen.get(key, now) === undefined) {
      seen.set(key, true, now + lastSeenEveryMs);
      dataSource
        .query(
          `UPDATE tills SET last_seen_at = now()
            WHERE shop_id = $1 AND id = $2 AND (last_seen_at IS NULL OR last_seen_at < now() - make_interval(secs => $3))`,
          [shopId, tillId, lastSeenEveryMs / 1000],
        )
        .catch(() => seen.delete(key));
    }
    return hit;
  };
}

/** Entries expire; the oldest is dropped beyond MAX_ENTRIES so a flood of keys cannot grow memory. */
class BoundedMap<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();

  get(key: string, now: number): V | undefined {
    const hit = this.entries.get(key);
    return hit && hit.expires > now ? hit.value : undefined;
  }

  set(key: string, value: V, expires: number): void {
    this.entries.delete(key);
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, expires });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
