import { createHash, randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { seedDemoShops } from "../../server/src/demo/seed";
import { lineTotalCents } from "../../server/src/shared/money";
import { newOrderNumber } from "../../server/src/sync/order-number";

/** A shop with many products, as the benchmark's tills see it. */
export type BenchShop = {
  shopId: string;
  token: string;
  userId: string;
  products: { id: string; priceCents: number }[];
  /** Set when `token` is a paired till's own credential (tills.ts), not the shop's cashier's. */
  tillId?: string;
};

export type BenchSale = {
  clientTempId: string;
  items: { productId: string; quantity: number; price: number; discountPercent: number }[];
  totalAmount: number;
  createdAt: string;
};

const PRODUCTS = 1_000;
const ITEMS_PER_SALE = 3;

/**
 * A fresh demo shop plus 1,000 products with an opening-stock ledger row each. One in ten sits
 * below its low-stock threshold from the start, so every sale of it refreshes a notification.
 */
export async function seedBenchShop(ds: DataSource, jwtSecret: string, products = PRODUCTS): Promise<BenchShop> {
  const seeded = await seedDemoShops(ds, jwtSecret, "2h");
  const ids = Array.from({ length: products }, () => randomUUID());
  const prices = ids.map(() => 100 + Math.floor(Math.random() * 4900));
  const thresholds = ids.map((_, i) => (i % 10 === 0 ? 1_000_000_000 : 10));
  await ds.query(
    `WITH p AS (
       INSERT INTO products (shop_id, id, name, sku, price_cents, stock, low_stock_threshold)
       SELECT $1, t.id, 'Bench product ' || t.n, 'BENCH-' || t.n, t.price, 100000000, t.threshold
         FROM unnest($2::uuid[], $3::bigint[], $4::int[]) WITH ORDINALITY AS t(id, price, threshold, n)
       RETURNING id, stock
     )
     INSERT INTO stock_movements (shop_id, product_id, quantity_delta, reason, note)
     SELECT $1, id, stock, 'initial', 'bench opening stock' FROM p`,
    [seeded.shopId, ids, prices, thresholds],
  );
  const [{ user_id }] = (await ds.query(`SELECT user_id::text FROM shop_memberships WHERE shop_id = $1 AND role = 'cashier'`, [
    seeded.shopId,
  ])) as { user_id: string }[];
  return {
    shopId: seeded.shopId,
    token: seeded.tokens.cashier,
    userId: user_id,
    products: ids.map((id, i) => ({ id, priceCents: prices[i] })),
  };
}

/** New, valid sales of three distinct products each; totals match their lines. */
export function makeSales(shop: BenchShop, count: number): BenchSale[] {
  const soldAt = new Date().toISOString();
  return Array.from({ length: count }, () => {
    const picked = new Set<number>();
    while (picked.size < ITEMS_PER_SALE) picked.add(Math.floor(Math.random() * shop.products.length));
    let totalCents = 0;
    const items = [...picked].map((k) => {
      const product = shop.products[k];
      const quantity = 1 + Math.floor(Math.random() * 3);
      const discountPercent = Math.random() < 0.2 ? 10 : 0;
      totalCents += lineTotalCents(product.priceCents, quantity, discountPercent * 100);
      return { productId: product.id, quantity, price: product.priceCents / 100, discountPercent };
    });
    return { clientTempId: randomUUID(), items, totalAmount: totalCents / 100, createdAt: soldAt };
  });
}

export function batchesOf<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The rows one sale becomes, precomputed so the raw SQL run measures the database alone. */
export type RawSaleRows = {
  saleId: string;
  clientTempId: string;
  fingerprint: string;
  orderId: string;
  totalCents: number;
  soldAt: string;
  items: { productId: string; quantity: number; unitPriceCents: number; discountBp: number; lineTotalCents: number }[];
};

export function rawRowsOf(sale: BenchSale): RawSaleRows {
  const items = sale.items.map((i) => {
    const unitPriceCents = Math.round(i.price * 100);
    const discountBp = Math.round(i.discountPercent * 100);
    return { productId: i.productId, quantity: i.quantity, unitPriceCents, discountBp, lineTotalCents: lineTotalCents(unitPriceCents, i.quantity, discountBp) };
  });
  return {
    saleId: randomUUID(),
    clientTempId: sale.clientTempId,
    fingerprint: createHash("sha256").update(JSON.stringify(sale)).digest("hex"),
    orderId: newOrderNumber(),
    totalCents: Math.round(sale.totalAmount * 100),
    soldAt: sale.createdAt,
    items,
  };
}
