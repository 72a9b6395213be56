import { INVARIANTS, type InvariantName } from "./invariants";

/**
 * Anything that runs SQL and answers rows: a DataSource, an EntityManager or a QueryRunner, so a
 * test can check inside a transaction it is about to roll back.
 */
export type Queryable = { query(sql: string, params?: unknown[]): Promise<unknown> };

/** One shop, several (a test or bench run that shares its database with others), or the whole database. */
export type CheckScope = { shopId?: string; shopIds?: readonly string[] };

export type BrokenInvariant = {
  invariant: InvariantName;
  description: string;
  /** How many rows break it. */
  count: number;
  /** A few of them, readable. */
  examples: string[];
};

const EXAMPLES = 3;

/**
 * Runs every invariant (for one shop, or the whole database) and returns the broken ones in
 * the order of INVARIANTS, so the first one is the one to name. An empty list means all hold.
 */
export async function checkInvariants(db: Queryable, scope: CheckScope = {}): Promise<BrokenInvariant[]> {
  const { params, where } = scoped(scope);
  const broken: BrokenInvariant[] = [];
  for (const invariant of INVARIANTS) {
    const rows = (await db.query(
      `SELECT count(*) OVER ()::int AS n, detail FROM (${invariant.sql(where)}) broken ORDER BY detail LIMIT ${EXAMPLES}`,
      params,
    )) as { n: number; detail: string }[];
    if (rows.length > 0) {
      broken.push({
        invariant: invariant.name,
        description: invariant.description,
        count: rows[0].n,
        examples: rows.map((r) => r.detail),
      });
    }
  }
  return broken;
}

export type CheckedVolume = { shops: number; sales: number; items: number; products: number; movements: number };

/** What a check covered, for a one-line summary. */
export async function checkedVolume(db: Queryable, scope: CheckScope = {}): Promise<CheckedVolume> {
  const { params, where } = scoped(scope);
  const shopWhere = scoped(scope, "id").where("x");
  const rows = (await db.query(
    `SELECT (SELECT count(*) FROM shops x WHERE ${shopWhere})::int AS shops,
            (SELECT count(*) FROM sales x WHERE ${where("x")})::int AS sales,
            (SELECT count(*) FROM sale_items x WHERE ${where("x")})::int AS items,
            (SELECT count(*) FROM products x WHERE ${where("x")})::int AS products,
            (SELECT count(*) FROM stock_movements x WHERE ${where("x")})::int AS movements`,
    params,
  )) as CheckedVolume[];
  return rows[0];
}

export function describeBroken(broken: BrokenInvariant): string {
  return `${broken.invariant} (${broken.description}): ${broken.count} row(s) break it, e.g. ${broken.examples.join("; ")}`;
}

function scoped(scope: CheckScope, column = "shop_id"): { params: unknown[]; where: (alias: string) => string } {
  if (scope.shopIds !== undefined) return { params: [scope.shopIds], where: (alias) => `${alias}.${column} = ANY($1::uuid[])` };
  if (scope.shopId === undefined) return { params: [], where: () => "true" };
  return { params: [scope.shopId], where: (alias) => `${alias}.${column} = $1::uuid` };
}
