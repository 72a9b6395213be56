import type { DataSource, QueryRunner } from "typeorm";
import { checkInvariants } from "../../server/src/invariants/check";
import type { SeededShops } from "../../server/src/demo/seed";
import { countRows } from "../support/database";
import { type OfflineSale, saleOf } from "../support/sales";
import { type TestServer, startTestServer } from "../support/test-server";
import { TRANSPORTS, authHeaders, rest } from "../support/transports";

/**
 * Issue 14 #10: when the set-based write of a batch fails for one sale (here: a line that pushes a
 * product's int4 stock past -2^31), the batch is retried in halves, recursing only into the half
 * that fails, so one bad sale costs about 2 × log2(n) extra transactions, not n.
 */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

/** Counts the transactions the server opens on `ds` (every one goes through a query runner). */
function countTransactions(ds: DataSource): { count(): number; stop(): void } {
  let count = 0;
  const original = ds.createQueryRunner.bind(ds);
  const spy = jest.spyOn(ds, "createQueryRunner").mockImplementation((...args: Parameters<DataSource["createQueryRunner"]>) => {
    const runner: QueryRunner = original(...args);
    const start = runner.startTransaction.bind(runner);
    runner.startTransaction = (...a: Parameters<QueryRunner["startTransaction"]>) => {
      count++;
      return start(...a);
    };
    return runner;
  });
  return { count: () => count, stop: () => spy.mockRestore() };
}

/** 500 lines of 100,000 units: 42 of these take a product's stock to about -2.1e9, the 43rd overflows it. */
const maximalSale = (shop: SeededShops): OfflineSale =>
  saleOf(shop, { items: Array.from({ length: 500 }, () => ({ productId: shop.products[0].id, quantity: 100_000, price: 0 })), totalAmount: 0 });

const goodSale = (shop: SeededShops): OfflineSale => {
  const p = shop.products[1];
  return saleOf(shop, { items: [{ productId: p.id, quantity: 1, price: p.price, discountPercent: 0 }], totalAmount: p.price });
};

describe.each(TRANSPORTS)("a batch with one sale that cannot be written, over $name (issue 14 #10)", (transport) => {
  it("creates the 999 good sales and answers the bad one with its error in about 2·log2(n) extra transactions", async () => {
    const shop = await t.seed();
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    const filled = await rest.sync(t.url, headers, Array.from({ length: 42 }, () => maximalSale(shop)));
    expect(filled.synced).toHaveLength(42);

    const good = Array.from({ length: 999 }, () => goodSale(shop));
    const bad = maximalSale(shop);
    const batch = [...good.slice(0, 617), bad, ...good.slice(617)];
    const transactions = countTransactions(t.dataSource);
    const answer = await transport.sync(t.url, headers, batch).finally(() => transactions.stop());

    expect(answer.httpStatus).toBe(200);
    expect(answer.synced.map((s) => [s.clientTempId, s.status])).toEqual(good.map((s) => [s.clientTempId, "created"]));
    expect(answer.errors).toEqual([{ clientTempId: bad.clientTempId, error: expect.stringMatching(/^Invalid sale: items/), retryable: false }]);
    // One set-based attempt, then at each of the ceil(log2(1000)) = 10 levels one half that commits
    // and one that fails: 21. Sale by sale it was 1 + 1000.
    expect(transactions.count()).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(batch.length)));
    expect(await countRows(t.dataSource, "sales", shop.shopId)).toBe(42 + 999);
    expect(await checkInvariants(t.dataSource, { shopId: shop.shopId })).toEqual([]);
  });

  it("isolates two bad sales far apart in about twice that, and answers a replay of the batch existing", async () => {
    const shop = await t.seed();
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    await rest.sync(t.url, headers, Array.from({ length: 42 }, () => maximalSale(shop)));
    const good = Array.from({ length: 398 }, () => goodSale(shop));
    const bad = [maximalSale(shop), maximalSale(shop)];
    const batch = [bad[0], ...good.slice(0, 300), bad[1], ...good.slice(300)];
    const transactions = countTransactions(t.dataSource);
    const answer = await transport.sync(t.url, headers, batch).finally(() => transactions.stop());
    expect(answer.synced).toHaveLength(398);
    expect(answer.errors.map((e) => e.clientTempId)).toEqual(bad.map((s) => s.clientTempId));
    expect(transactions.count()).toBeLessThanOrEqual(1 + 4 * Math.ceil(Math.log2(batch.length)));

    const replay = await transport.sync(t.url, headers, good);
    expect(replay.synced.every((s) => s.status === "existing")).toBe(true);
    expect(await checkInvariants(t.dataSource, { shopId: shop.shopId })).toEqual([]);
  });
});
