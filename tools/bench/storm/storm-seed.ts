import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { tillSubject } from "../../../server/src/auth/principal";
import { issueToken } from "../../../server/src/auth/tokens";
import { seedBenchShop } from "../workload";
import type { StormShop } from "./storm-types";

export type StormSeedOptions = { shops: number; tillsPerShop: number; products?: number; tokenTtl?: string };

/**
 * The chain that comes back online: `shops` bench shops (each with `products` products) and
 * `tillsPerShop` paired tills in each, every till with its own credential, as real tills have (the
 * server's write coalescer and rate limits key on the till). Pairing by code is not what is
 * measured, so the `tills` rows are inserted directly and each gets the access token a pairing
 * hands out (`sub: till:<id>`), which the server checks as any paired till's (row present, not
 * revoked). Its codes are S0001.. so they never collide with codes the shop allocated itself.
 */
export async function seedStormShops(ds: DataSource, jwtSecret: string, opts: StormSeedOptions): Promise<StormShop[]> {
  const shops: StormShop[] = [];
  for (let s = 0; s < opts.shops; s++) {
    const shop = await seedBenchShop(ds, jwtSecret, opts.products ?? 50);
    const ids = Array.from({ length: opts.tillsPerShop }, () => randomUUID());
    const rows = (await ds.query(
      `INSERT INTO tills (shop_id, id, code, name, paired_at)
       SELECT $1, t.id, 'S' || lpad(t.n::text, 4, '0'), 'Storm till ' || t.n, now()
         FROM unnest($2::uuid[]) WITH ORDINALITY AS t(id, n)
       RETURNING id::text AS id, code`,
      [shop.shopId, ids],
    )) as { id: string; code: string }[];
    shops.push({
      shopId: shop.shopId,
      products: shop.products.map((p) => ({ id: p.id, price: p.priceCents / 100 })),
      tills: rows.map((r) => ({ tillId: r.id, code: r.code, token: issueToken(jwtSecret, tillSubject(r.id), opts.tokenTtl ?? "2h") })),
    });
  }
  return shops;
}
