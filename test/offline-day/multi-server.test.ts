import { Client } from "pg";
import { type ServerProcess, checkThroughCli, databaseEnv, seedThroughCli, spawnServer } from "../support/server-process";
import { TRANSPORTS, authHeaders } from "../support/transports";
import { customerOf, paidSale, refundOf, syncDay } from "./offline-day-support";

/**
 * Two server processes on one PostgreSQL racing overlapping offline days: customers, sales naming
 * them by temp id, and refunds of those sales (some in the same request, some in another request on
 * the other server, some before their sale). PostgreSQL only, like test/reliability/multi-server.
 */
const onRealPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;

function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

onRealPostgres("two server processes racing offline days", () => {
  let servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const s of servers) s.child.kill("SIGTERM");
    await Promise.all(servers.map((s) => s.exited));
  });

  it("records each customer, sale and refund once, links every refund whose sale arrived and restocks each once", async () => {
    const db = databaseEnv();
    const shop = await seedThroughCli(db);
    servers = await Promise.all([spawnServer(db), spawnServer(db)]);
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    const customers = Array.from({ length: 40 }, () => customerOf());
    const sales = Array.from({ length: 120 }, (_, i) => paidSale(shop, { customerClientTempId: customers[i % 40].clientTempId }, 2));
    const refunds = sales.slice(0, 60).map((s, i) => refundOf(shop, { clientTempId: s.clientTempId }, { restock: i % 2 === 0 }));
    const requests = Array.from({ length: 20 }, (_, client) => {
      const mine = { customers: shuffled(customers, client + 1).slice(0, 20), sales: shuffled(sales, client + 7).slice(0, 50), refunds: shuffled(refunds, client + 13).slice(0, 30) };
      const day = { customers: mine.customers, sales: [...mine.sales, ...mine.sales.slice(0, 5)], refunds: [...mine.refunds, ...mine.refunds.slice(0, 5)] };
      return syncDay(TRANSPORTS[client % 2], servers[client % 2].url, headers, day);
    });
    const answers = await Promise.all(requests);
    const seen = new Map<string, Set<string>>();
    let created = 0;
    for (const answer of answers) {
      expect(answer.httpStatus).toBe(200);
      for (const kind of ["customers", "sales", "refunds"] as const) {
        expect(answer[kind].errors).toEqual([]);
        for (const s of answer[kind].synced) {
          if (s.status === "created") created++;
          seen.set(s.clientTempId, (seen.get(s.clientTempId) ?? new Set()).add(s.serverId));
        }
      }
    }
    expect(created).toBe(seen.size);
    for (const ids of seen.values()) expect(ids.size).toBe(1);

    const pg = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await pg.connect();
    try {
      const count = async (sql: string) => (await pg.query<{ n: number }>(sql, [shop.shopId])).rows[0].n;
      // The race that matters: a refund whose sale is on the server is linked, whoever came first.
      const unlinkedWithSale = `SELECT count(*)::int AS n FROM refunds f JOIN offline_sale_syncs m ON m.shop_id = f.shop_id AND m.client_temp_id = f.sale_client_temp_id
                                 WHERE f.shop_id = $1 AND f.sale_id IS DISTINCT FROM m.sale_id`;
      expect(await count(unlinkedWithSale)).toBe(0);
      const last = await syncDay("rest", servers[0].url, headers, { customers, sales, refunds });
      for (const kind of ["customers", "sales", "refunds"] as const) {
        expect(last[kind].errors).toEqual([]);
        for (const s of last[kind].synced) expect(s.status).toBe(seen.has(s.clientTempId) ? "existing" : "created");
      }
      expect(await count(unlinkedWithSale)).toBe(0);
      expect(await count(`SELECT count(*)::int AS n FROM refunds WHERE shop_id = $1 AND sale_id IS NULL`)).toBe(0);
      expect(await count(`SELECT count(*)::int AS n FROM customers WHERE shop_id = $1 AND client_temp_id IS NOT NULL`)).toBe(40);
      expect(await count(`SELECT count(*)::int AS n FROM refunds WHERE shop_id = $1`)).toBe(60);
      expect(await count(`SELECT count(*)::int AS n FROM stock_movements WHERE shop_id = $1 AND reason = 'refund'`)).toBe(30);
    } finally {
      await pg.end();
    }
    const check = await checkThroughCli(db, shop.shopId);
    expect(check.code).toBe(0);
    expect(check.output).toContain("invariants hold: 1 shop(s), 120 sales");
  });

  it("links a refund sent to one server while its sale is being written by the other, round after round", async () => {
    const db = databaseEnv();
    const shop = await seedThroughCli(db);
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    const rounds = Array.from({ length: 40 }, () => {
      const batch = Array.from({ length: 30 }, () => paidSale(shop, {}, 1));
      return { batch, refund: refundOf(shop, { clientTempId: batch[29].clientTempId }, { restock: true }) };
    });
    for (const [i, { batch, refund }] of rounds.entries()) {
      const [sold, refunded] = await Promise.all([
        TRANSPORTS[i % 2].sync(servers[i % 2].url, headers, batch),
        syncDay(TRANSPORTS[(i + 1) % 2], servers[(i + 1) % 2].url, headers, { refunds: [refund] }),
      ]);
      expect(sold.errors).toEqual([]);
      expect(refunded.refunds.errors).toEqual([]);
    }
    const pg = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await pg.connect();
    try {
      const { rows } = await pg.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM refunds f JOIN offline_sale_syncs m ON m.shop_id = f.shop_id AND m.client_temp_id = f.sale_client_temp_id
          WHERE f.shop_id = $1 AND f.sale_id IS DISTINCT FROM m.sale_id`,
        [shop.shopId],
      );
      expect(rows[0].n).toBe(0);
    } finally {
      await pg.end();
    }
    expect((await checkThroughCli(db, shop.shopId)).code).toBe(0);
  });
});
