import { type Queryable, checkInvariants } from "../../../server/src/invariants/check";
import type { StormDatabaseCheck, StormShop, StormTillReport } from "./storm-types";

/**
 * The storm against the database: every sale the tills recorded is there, none twice, and the
 * invariant checker holds for the storm's shops (stock = ledger, totals = lines, one sale per
 * mapping, ...; only theirs, since a test database also holds other files' deliberately broken rows). Run it while the server is up on PostgreSQL, or after it stopped on PGlite.
 */
export async function verifyStorm(db: Queryable, shops: StormShop[], reports: StormTillReport[]): Promise<StormDatabaseCheck> {
  const shopIds = shops.map((s) => s.shopId);
  const recordedShops = reports.flatMap((r) => r.clientTempIds.map(() => r.shopId));
  const recordedIds = reports.flatMap((r) => r.clientTempIds);
  const [{ n: salesInDatabase }] = (await db.query(`SELECT count(*)::int AS n FROM sales WHERE shop_id = ANY($1::uuid[])`, [shopIds])) as { n: number }[];
  const [{ n: recordedFound }] = (await db.query(
    `SELECT count(DISTINCT (r.shop_id, r.id))::int AS n
       FROM unnest($1::uuid[], $2::uuid[]) AS r(shop_id, id)
       JOIN sales s ON s.shop_id = r.shop_id AND s.client_temp_id = r.id`,
    [recordedShops, recordedIds],
  )) as { n: number }[];
  const [{ n: duplicates }] = (await db.query(
    `SELECT count(*)::int AS n FROM (
       SELECT 1 FROM sales WHERE shop_id = ANY($1::uuid[]) AND client_temp_id IS NOT NULL
        GROUP BY shop_id, client_temp_id HAVING count(*) > 1) twice`,
    [shopIds],
  )) as { n: number }[];
  const broken = await checkInvariants(db, { shopIds });
  return { salesInDatabase, recordedFound, duplicates, brokenInvariants: broken.map((b) => `${b.invariant}: ${b.count}`) };
}
