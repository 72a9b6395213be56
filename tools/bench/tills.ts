import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { tillSubject } from "../../server/src/auth/principal";
import { issueToken } from "../../server/src/auth/tokens";
import type { BenchShop } from "./workload";

/**
 * Paired tills of a bench shop, each with its own credential, as real tills have. The server
 * groups small concurrent writes per shop + user + till (the write coalescer), so 32 tills sharing
 * one user's token would be written together and hide the contention that 32 real tills cause.
 *
 * The pairing itself (a code typed at the till) is not what is measured, so the bench inserts the
 * `tills` rows directly and signs the same kind of access token a pairing hands out
 * (`sub: till:<id>`); the server checks it exactly as a paired till's (tills row, not revoked).
 * Each returned BenchShop is the shop as that till sees it: same shop and products, its own token.
 */
export async function pairBenchTills(ds: DataSource, jwtSecret: string, shop: BenchShop, count: number): Promise<BenchShop[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  await ds.query(
    `INSERT INTO tills (shop_id, id, code, name, paired_at)
     SELECT $1, t.id, 'B' || lpad(t.n::text, 3, '0'), 'Bench till ' || t.n, now()
       FROM unnest($2::uuid[]) WITH ORDINALITY AS t(id, n)`,
    [shop.shopId, ids],
  );
  return ids.map((id) => ({ ...shop, token: issueToken(jwtSecret, tillSubject(id), "2h"), tillId: id }));
}
