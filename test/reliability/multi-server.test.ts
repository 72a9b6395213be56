import { saleOf } from "../support/sales";
import { type ServerProcess, checkThroughCli, databaseEnv, seedThroughCli, spawnServer } from "../support/server-process";
import { TRANSPORTS, authHeaders } from "../support/transports";

/**
 * Two server processes on one PostgreSQL. The embedded database belongs to one process by
 * design (it is a file, not a server), so this runs when TEST_DATABASE_URL names a real one;
 * .ci/run always does.
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

onRealPostgres("two server processes on one PostgreSQL", () => {
  let servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const s of servers) s.child.kill("SIGTERM");
    await Promise.all(servers.map((s) => s.exited));
  });

  it("records each sale once when 20 clients send overlapping, reordered, partly duplicated batches to both", async () => {
    const db = databaseEnv();
    const shop = await seedThroughCli(db);
    servers = await Promise.all([spawnServer(db), spawnServer(db)]);
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    const pool = Array.from({ length: 120 }, (_, i) =>
      saleOf(shop, { items: [{ productId: shop.products[i % 3].id, quantity: 1, price: shop.products[i % 3].price }], totalAmount: shop.products[i % 3].price }),
    );
    const requests = Array.from({ length: 20 }, (_, client) => {
      const mine = shuffled(pool, client + 1).slice(0, 80);
      const batch = [...mine, ...mine.slice(0, 10)]; // duplicates inside the batch too
      const transport = TRANSPORTS[client % 2];
      return transport.sync(servers[client % 2].url, headers, batch);
    });
    const answers = await Promise.all(requests);
    const seen = new Map<string, Set<string>>();
    let created = 0;
    for (const answer of answers) {
      expect(answer.httpStatus).toBe(200);
      expect(answer.errors).toEqual([]);
      for (const s of answer.synced) {
        if (s.status === "created") created++;
        seen.set(s.clientTempId, (seen.get(s.clientTempId) ?? new Set()).add(`${s.serverId}/${s.orderId}`));
      }
    }
    expect(created).toBe(seen.size);
    for (const ids of seen.values()) expect(ids.size).toBe(1);
    const check = await checkThroughCli(db, shop.shopId);
    expect(check.output).toContain(`invariants hold: 1 shop(s), ${seen.size} sales`);
  });
});
