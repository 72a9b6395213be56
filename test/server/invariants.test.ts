import { randomUUID } from "node:crypto";
import type { SeededShops } from "../../server/src/demo/seed";
import { type BrokenInvariant, type Queryable, checkInvariants } from "../../server/src/invariants/check";
import type { InvariantName } from "../../server/src/invariants/invariants";
import { saleOf } from "../support/sales";
import { type TestServer, startTestServer } from "../support/test-server";
import { authHeaders, gql, graphql, rest } from "../support/transports";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

/** A shop with a few sales synced over both transports: a replay, a flagged total, a rejected sale. */
async function shopWithSales(): Promise<{ shop: SeededShops; saleIds: string[] }> {
  const shop = await t.seed();
  const headers = authHeaders(shop.tokens.cashier, shop.shopId);
  const [a, b] = shop.products;
  const sales = [
    saleOf(shop),
    saleOf(shop, {
      items: [
        { productId: a.id, quantity: 1, price: a.price },
        { productId: b.id, quantity: 3, price: b.price, discountPercent: 10 },
      ],
      totalAmount: Math.round((a.price + b.price * 3 * 0.9) * 100) / 100,
    }),
    saleOf(shop, { totalAmount: 1 }), // flagged for review, still recorded
    saleOf(shop, { items: [{ productId: randomUUID(), quantity: 1, price: 1 }], totalAmount: 1 }), // rejected alone
  ];
  const first = await rest.sync(t.url, headers, sales);
  expect(first.synced).toHaveLength(3);
  expect(first.errors).toHaveLength(1);
  const more = [saleOf(shop), saleOf(shop, { customerId: shop.customerId })];
  const second = await graphql.sync(t.url, headers, [...more, sales[0]]);
  expect(second.synced.map((s) => s.status)).toEqual(["created", "created", "existing"]);
  const adjusted = await gql(t.url, authHeaders(shop.tokens.owner, shop.shopId), `mutation { adjustInventory(productId: "${a.id}", delta: 7, reason: "delivery") { stock } }`);
  expect(adjusted.errors).toBeUndefined();
  return { shop, saleIds: [...first.synced, ...second.synced.slice(0, 2)].map((s) => s.serverId) };
}

/** Breaks the shop with direct SQL inside a transaction, checks in it, and rolls it back. */
async function checkWhileBroken(shopId: string, breakIt: (q: Queryable) => Promise<void>): Promise<BrokenInvariant[]> {
  const runner = t.dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    await breakIt(runner);
    return await checkInvariants(runner, { shopId });
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
}

const names = (broken: BrokenInvariant[]): InvariantName[] => broken.map((b) => b.invariant);

describe("the invariant checker", () => {
  it("passes on a healthy shop after syncs, replays, rejected sales and a stock adjustment", async () => {
    const { shop } = await shopWithSales();
    expect(await checkInvariants(t.dataSource, { shopId: shop.shopId })).toEqual([]);
  });

  it("passes on a fresh shop with no sales", async () => {
    const shop = await t.seed();
    expect(await checkInvariants(t.dataSource, { shopId: shop.shopId })).toEqual([]);
  });

  it("names a mapping that points at no sale", async () => {
    const { shop } = await shopWithSales();
    const broken = await checkWhileBroken(shop.shopId, async (q) => {
      // The foreign key is deferred to commit, so inside the transaction the dangling row exists.
      await q.query(`INSERT INTO offline_sale_syncs (shop_id, client_temp_id, sale_id, fingerprint) VALUES ($1, $2, $3, 'x')`, [
        shop.shopId,
        randomUUID(),
        randomUUID(),
      ]);
    });
    expect(names(broken)).toEqual(["mapping-points-at-sale"]);
    expect(broken[0].count).toBe(1);
  });

  it("names a synced sale whose mapping is missing", async () => {
    const { shop, saleIds } = await shopWithSales();
    const broken = await checkWhileBroken(shop.shopId, async (q) => {
      await q.query(`DELETE FROM offline_sale_syncs WHERE shop_id = $1 AND sale_id = $2`, [shop.shopId, saleIds[0]]);
    });
    expect(names(broken)).toEqual(["synced-sale-has-one-mapping"]);
  });

  it("names a sale recorded twice for one clientTempId, even with its lines and stock complete", async () => {
    const { shop, saleIds } = await shopWithSales();
    const broken = await checkWhileBroken(shop.shopId, async (q) => {
      const copy = randomUUID();
      await q.query(
        `INSERT INTO sales (shop_id, id, order_id, client_temp_id, customer_id, total_cents, needs_review, review_reasons, sold_at, created_by)
         SELECT shop_id, $3, order_id || '-2', client_temp_id, customer_id, total_cents, needs_review, review_reasons, sold_at, created_by
           FROM sales WHERE shop_id = $1 AND id = $2`,
        [shop.shopId, saleIds[1], copy],
      );
      await q.query(
        `INSERT INTO sale_items (shop_id, sale_id, product_id, position, quantity, unit_price_cents, discount_percent, line_total_cents)
         SELECT shop_id, $3, product_id, position, quantity, unit_price_cents, discount_percent, line_total_cents
           FROM sale_items WHERE shop_id = $1 AND sale_id = $2`,
        [shop.shopId, saleIds[1], copy],
      );
      await q.query(
        `INSERT INTO stock_movements (shop_id, product_id, quantity_delta, reason, sale_id)
         SELECT shop_id, product_id, quantity_delta, reason, $3 FROM stock_movements WHERE shop_id = $1 AND sale_id = $2`,
        [shop.shopId, saleIds[1], copy],
      );
      await q.query(
        `UPDATE products p SET stock = p.stock + m.delta
           FROM (SELECT product_id, sum(quantity_delta) AS delta FROM stock_movements WHERE shop_id = $1 AND sale_id = $2 GROUP BY product_id) m
          WHERE p.shop_id = $1 AND p.id = m.product_id`,
        [shop.shopId, copy],
      );
    });
    expect(names(broken)).toEqual(["synced-sale-has-one-mapping"]);
  });

  it("names a sale without items", async () => {
    const { shop } = await shopWithSales();
    const broken = await checkWhileBroken(shop.shopId, async (q) => {
      await q.query(`INSERT INTO sales (shop_id, id, order_id, total_cents, sold_at) VALUES ($1, $2, 'ORD-EMPTY', 0, now())`, [
        shop.shopId,
        randomUUID(),
      ]);
    });
    expect(names(broken)).toEqual(["sale-has-items"]);
  });

  it("checks only the shops it is given, when given several", async () => {
    const [healthy, other, broken] = [await t.seed(), await t.seed(), await t.seed()];
    const runner = t.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query(`INSERT INTO sales (shop_id, id, order_id, total_cents, sold_at) VALUES ($1, $2, 'ORD-EMPTY', 0, now())`, [broken.shopId, randomUUID()]);
      expect(await checkInvariants(runner, { shopIds: [healthy.shopId, other.shopId] })).toEqual([]);
      const found = await checkInvariants(runner, { shopIds: [healthy.shopId, broken.shopId] });
      expect(found.map((b) => [b.invariant, b.count])).toEqual([["sale-has-items", 1]]);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it("names a product whose stock the ledger does not explain", async () => {
    const { shop } = await shopWithSales();
    const broken = await checkWhileBroken(shop.shopId, async (q) => {
      await q.query(`UPDATE products SET stock = stock - 1 WHERE shop_id = $1 AND id = $2`, [shop.shopId, shop.products[1].id]);
    });
    expect(names(broken)).toEqual(["stock-matches-ledger"]);
    expect(broken[0].examples[0]).toContain(shop.products[1].id);
  });

  it("names a sale movement that differs from the quantity sold, even when stock still adds up", async () => {
    const { shop, saleIds } = await shopWithSales();
    const broken = await checkWhileBroken(shop.shopId, async (q) => {
      const rows = (await q.query(
        `UPDATE stock_movements SET quantity_delta = quantity_delta + 1
          WHERE shop_id = $1 AND id = (SELECT id FROM stock_movements WHERE shop_id = $1 AND sale_id = $2 LIMIT 1)
          RETURNING product_id`,
        [shop.shopId, saleIds[0]],
      )) as [{ product_id: string }[], number];
      await q.query(`UPDATE products SET stock = stock + 1 WHERE shop_id = $1 AND id = $2`, [shop.shopId, rows[0][0].product_id]);
    });
    expect(names(broken)).toEqual(["sale-movements-match-items"]);
  });

  it("names an order number used twice", async () => {
    const { shop, saleIds } = await shopWithSales();
    const broken = await checkWhileBroken(shop.shopId, async (q) => {
      // The unique key forbids it; dropping the key (rolled back with the rest) simulates a schema that lost it.
      await q.query(`ALTER TABLE sales DROP CONSTRAINT sales_shop_id_order_id_key`);
      await q.query(`UPDATE sales SET order_id = (SELECT order_id FROM sales WHERE shop_id = $1 AND id = $2) WHERE shop_id = $1 AND id = $3`, [
        shop.shopId,
        saleIds[0],
        saleIds[1],
      ]);
    });
    expect(names(broken)).toEqual(["order-number-unique"]);
  });

  it("names a total that differs from its lines on a sale not flagged for review", async () => {
    const { shop, saleIds } = await shopWithSales();
    const broken = await checkWhileBroken(shop.shopId, async (q) => {
      await q.query(`UPDATE sales SET total_cents = total_cents + 2 WHERE shop_id = $1 AND id = $2 AND NOT needs_review`, [
        shop.shopId,
        saleIds[0],
      ]);
    });
    expect(names(broken)).toEqual(["total-matches-lines"]);
  });

  it("tolerates a one-cent rounding difference between a total and its lines", async () => {
    const { shop, saleIds } = await shopWithSales();
    const broken = await checkWhileBroken(shop.shopId, async (q) => {
      await q.query(`UPDATE sales SET total_cents = total_cents + 1 WHERE shop_id = $1 AND id = $2`, [shop.shopId, saleIds[0]]);
    });
    expect(broken).toEqual([]);
  });

  it("names the most fundamental breakage first when several invariants break at once", async () => {
    const { shop, saleIds } = await shopWithSales();
    const broken = await checkWhileBroken(shop.shopId, async (q) => {
      await q.query(`DELETE FROM offline_sale_syncs WHERE shop_id = $1 AND sale_id = $2`, [shop.shopId, saleIds[0]]);
      await q.query(`UPDATE products SET stock = stock + 5 WHERE shop_id = $1`, [shop.shopId]);
    });
    expect(names(broken)).toEqual(["synced-sale-has-one-mapping", "stock-matches-ledger"]);
  });

  it("checks one shop without being misled by another shop's breakage", async () => {
    const { shop } = await shopWithSales();
    const other = await shopWithSales();
    const broken = await checkWhileBroken(shop.shopId, async (q) => {
      await q.query(`UPDATE products SET stock = stock - 1 WHERE shop_id = $1`, [other.shop.shopId]);
    });
    expect(broken).toEqual([]);
  });
});
