import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Tx } from "../db/transaction";

/**
 * Refresh tokens: opaque 256-bit random values, stored only as SHA-256 hashes, grouped in a family
 * per sign-in (a login or a till's pairing) and rotated on every use. Presenting a token that was
 * already rotated means two parties hold the family (OAuth 2.0 Security BCP, section 4.14): the
 * whole family is revoked. The one exception is a retry right after a rotation whose answer was
 * lost (`reuseGraceSeconds`, while the successor has never been used): it gets a new pair and the
 * unused successor is retired, so if that successor was in fact received by someone, presenting it
 * later still revokes the family. Each token expires `ttlSeconds` after it was issued, so a family
 * lives as long as it is used at least once per TTL.
 */
export type FamilyOwner = { kind: "user"; userId: string } | { kind: "till"; shopId: string; tillId: string };
export type RefreshSettings = { ttlSeconds: number; reuseGraceSeconds: number };

export type Rotation =
  | { kind: "rotated"; familyId: string; owner: FamilyOwner; token: string }
  | { kind: "refused"; reason: "unknown" | "expired" | "revoked" }
  | { kind: "reused"; familyId: string; owner: FamilyOwner };

export function refreshTokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A new family with its first token, for a login or a pairing. Returns the token (shown once). */
export async function startFamily(tx: Tx, owner: FamilyOwner, settings: RefreshSettings): Promise<string> {
  const familyId = randomUUID();
  await tx.sql(`INSERT INTO refresh_token_families (id, user_id, shop_id, till_id) VALUES ($1, $2, $3, $4)`, [
    familyId,
    owner.kind === "user" ? owner.userId : null,
    owner.kind === "till" ? owner.shopId : null,
    owner.kind === "till" ? owner.tillId : null,
  ]);
  return issueToken(tx, familyId, settings);
}

/** Exchanges a presented token for its successor, or says why not; revocations are written, never thrown. */
export async function rotate(tx: Tx, presented: string, settings: RefreshSettings): Promise<Rotation> {
  const hash = refreshTokenHash(presented);
  // The claim decides concurrent refreshes with the same token: the second one sees it rotated.
  const [claimed] = await tx.sql<{ family_id: string }>(
    `UPDATE refresh_tokens SET rotated_at = now()
      WHERE token_hash = $1 AND rotated_at IS NULL AND expires_at > now()
      RETURNING family_id::text AS family_id`,
    [hash],
  );
  const familyId = claimed?.family_id ?? (await retriedFamily(tx, hash, settings));
  if (typeof familyId !== "string") return familyId;
  const family = await familyOf(tx, familyId);
  if (!family || family.revoked) return { kind: "refused", reason: "revoked" };
  if (family.tillRevoked) {
    await revokeFamily(tx, familyId, "till revoked");
    return { kind: "refused", reason: "revoked" };
  }
  const token = await issueToken(tx, familyId, settings);
  await tx.sql(
    `WITH linked AS (UPDATE refresh_tokens SET successor_hash = $2 WHERE token_hash = $1)
     UPDATE refresh_token_families SET last_used_at = now() WHERE id = $3`,
    [hash, refreshTokenHash(token), familyId],
  );
  // Rotated tokens past their own expiry can no longer be replayed usefully: keep the table small.
  await tx.sql(`DELETE FROM refresh_tokens WHERE family_id = $1 AND rotated_at IS NOT NULL AND expires_at < now()`, [familyId]);
  return { kind: "rotated", familyId, owner: family.owner, token };
}

/** A token that could not be claimed: unknown, expired, a retry within the grace, or a reuse. */
async function retriedFamily(tx: Tx, hash: string, settings: RefreshSettings): Promise<string | Exclude<Rotation, { kind: "rotated" }>> {
  const [row] = await tx.sql<{ family_id: string; rotated: boolean; recent: boolean; successor_hash: string | null }>(
    `SELECT family_id::text AS family_id, rotated_at IS NOT NULL AS rotated,
            COALESCE(rotated_at > now() - make_interval(secs => $2), false) AS recent, successor_hash
       FROM refresh_tokens WHERE token_hash = $1`,
    [hash, settings.reuseGraceSeconds],
  );
  if (!row) return { kind: "refused", reason: "unknown" };
  if (!row.rotated) return { kind: "refused", reason: "expired" };
  if (row.recent && row.successor_hash) {
    const [retired] = await tx.sql(`UPDATE refresh_tokens SET rotated_at = now() WHERE token_hash = $1 AND rotated_at IS NULL RETURNING 1`, [
      row.successor_hash,
    ]);
    if (retired) return row.family_id;
  }
  const family = await familyOf(tx, row.family_id);
  if (!family || family.revoked) return { kind: "refused", reason: "revoked" };
  await revokeFamily(tx, row.family_id, "refresh token reused");
  return { kind: "reused", familyId: row.family_id, owner: family.owner };
}

type FamilyRow = { user_id: string | null; shop_id: string | null; till_id: string | null; revoked: boolean; till_revoked: boolean };

async function familyOf(tx: Tx, familyId: string): Promise<{ owner: FamilyOwner; revoked: boolean; tillRevoked: boolean } | null> {
  const [row] = await tx.sql<FamilyRow>(
    `SELECT f.user_id::text AS user_id, f.shop_id::text AS shop_id, f.till_id::text AS till_id,
            f.revoked_at IS NOT NULL AS revoked, COALESCE(t.revoked_at IS NOT NULL, false) AS till_revoked
       FROM refresh_token_families f
       LEFT JOIN tills t ON t.shop_id = f.shop_id AND t.id = f.till_id
      WHERE f.id = $1
        FOR UPDATE OF f`,
    [familyId],
  );
  if (!row) return null;
  const owner: FamilyOwner = row.user_id
    ? { kind: "user", userId: row.user_id }
    : { kind: "till", shopId: row.shop_id ?? "", tillId: row.till_id ?? "" };
  return { owner, revoked: row.revoked, tillRevoked: row.till_revoked };
}

async function issueToken(tx: Tx, familyId: string, settings: RefreshSettings): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await tx.sql(
    `INSERT INTO refresh_tokens (token_hash, family_id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))`,
    [refreshTokenHash(token), familyId, settings.ttlSeconds],
  );
  return token;
}

export async function revokeFamily(tx: Tx, familyId: string, reason: string): Promise<void> {
  await tx.sql(`UPDATE refresh_token_families SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL`, [
    familyId,
    reason,
  ]);
}

/** Logout: the family of the presented token, whatever state the token is in. False if it is unknown. */
export async function revokeFamilyOfToken(tx: Tx, presented: string, reason: string): Promise<boolean> {
  const [row] = await tx.sql<{ family_id: string }>(`SELECT family_id::text AS family_id FROM refresh_tokens WHERE token_hash = $1`, [
    refreshTokenHash(presented),
  ]);
  if (!row) return false;
  await revokeFamily(tx, row.family_id, reason);
  return true;
}

export async function revokeTillFamilies(tx: Tx, shopId: string, tillId: string): Promise<void> {
  await tx.sql(
    `UPDATE refresh_token_families SET revoked_at = now(), revoked_reason = 'till revoked'
      WHERE shop_id = $1 AND till_id = $2 AND revoked_at IS NULL`,
    [shopId, tillId],
  );
}
