import type { DataSource } from "typeorm";
import { type Role, isRole } from "./permissions";

export type MembershipLookup = (shopId: string, userId: string) => Promise<Role | null>;

/** How long a role read from the database is trusted: a revoked or changed role applies within it. */
export const MEMBERSHIP_TTL_MS = 5_000;
const MAX_ENTRIES = 50_000;

/**
 * Every request needs the caller's role in its shop; a till syncing every few seconds would ask
 * the database the same question each time. Answers (including "no membership") are kept for a
 * few seconds per process, bounded in number, so a flood of distinct keys cannot grow memory.
 */
export function cachedMembershipLookup(dataSource: DataSource, ttlMs = MEMBERSHIP_TTL_MS): MembershipLookup {
  const cache = new Map<string, { role: Role | null; expires: number }>();
  return async (shopId, userId) => {
    const key = `${shopId}/${userId}`;
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && hit.expires > now) return hit.role;
    const rows: { role: string }[] = await dataSource.query(
      "SELECT role FROM shop_memberships WHERE shop_id = $1 AND user_id = $2",
      [shopId, userId],
    );
    const role = isRole(rows[0]?.role) ? (rows[0].role as Role) : null;
    cache.delete(key);
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
    cache.set(key, { role, expires: now + ttlMs });
    return role;
  };
}
