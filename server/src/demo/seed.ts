import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import type { Role } from "../auth/permissions";
import { hashPassword } from "../auth/passwords";
import { hashPin } from "../auth/staff-pin";
import { issueToken } from "../auth/tokens";
import { type Tx, inTransaction } from "../db/transaction";
import { recordOpeningStock } from "../inventory/stock-ledger";

type ProductSeed = { name: string; sku: string; priceCents: number; stock: number; lowStockThreshold: number };

const DEMO_PRODUCTS: ProductSeed[] = [
  { name: "Espresso beans 1kg", sku: "COF-1KG", priceCents: 1599, stock: 40, lowStockThreshold: 5 },
  { name: "Oat milk 1l", sku: "OAT-1L", priceCents: 249, stock: 24, lowStockThreshold: 6 },
  { name: "Ceramic mug", sku: "MUG-01", priceCents: 1200, stock: 3, lowStockThreshold: 2 },
  { name: "Paper filters x100", sku: "FLT-100", priceCents: 450, stock: 60, lowStockThreshold: 10 },
];

/** Fixed ids for the shop seeded on an empty database, so every restart can print its token again. */
export const DEMO_SHOP = {
  shopId: "5e5e0000-0000-4000-8000-000000000001",
  cashierId: "5e5e0000-0000-4000-8000-0000000000c1",
  ownerId: "5e5e0000-0000-4000-8000-0000000000a1",
  viewerId: "5e5e0000-0000-4000-8000-0000000000b1",
  managerId: "5e5e0000-0000-4000-8000-0000000000d1",
};

/**
 * The demo shop's people who can sign in (and pick themselves on a till by PIN). Development only:
 * the demo shop is never seeded with NODE_ENV=production. Documented in the README.
 */
export const DEMO_ACCOUNTS = [
  { role: "manager", userId: DEMO_SHOP.managerId, name: "Demo manager", email: "manager@demo.example", password: "demo-manager-pass", pin: "1111" },
  { role: "cashier", userId: DEMO_SHOP.cashierId, name: "Demo cashier", email: "cashier@demo.example", password: "demo-cashier-pass", pin: "2222" },
] as const;

type CreatedShop = { shopId: string; productIds: string[]; customerId: string; users: Partial<Record<Role, string>> };

async function createShop(
  tx: Tx,
  opts: { shopId?: string; name: string; products: ProductSeed[]; users: Partial<Record<Role, string>> },
): Promise<CreatedShop> {
  const shopId = opts.shopId ?? randomUUID();
  await tx.sql(`INSERT INTO shops (id, name) VALUES ($1, $2)`, [shopId, opts.name]);
  const productIds: string[] = [];
  for (const p of opts.products) {
    const id = randomUUID();
    productIds.push(id);
    await tx.sql(
      `INSERT INTO products (shop_id, id, name, sku, price_cents, stock, low_stock_threshold) VALUES ($1,$2,$3,$4,$5,0,$6)`,
      [shopId, id, p.name, p.sku, p.priceCents, p.lowStockThreshold],
    );
    await recordOpeningStock(tx, shopId, id, p.stock, null);
  }
  const customerId = randomUUID();
  await tx.sql(`INSERT INTO customers (shop_id, id, name, email) VALUES ($1,$2,$3,$4)`, [
    shopId,
    customerId,
    "Ada Lovelace",
    `ada+${customerId.slice(0, 8)}@example.com`,
  ]);
  for (const [role, userId] of Object.entries(opts.users) as [Role, string][]) {
    await tx.sql(`INSERT INTO users (id, email, name) VALUES ($1,$2,$3) ON CONFLICT (id) DO NOTHING`, [
      userId,
      `${role}+${userId.slice(0, 8)}@example.com`,
      `Demo ${role}`,
    ]);
    await tx.sql(`INSERT INTO shop_memberships (shop_id, user_id, role) VALUES ($1,$2,$3)`, [shopId, userId, role]);
  }
  return { shopId, productIds, customerId, users: opts.users };
}

/**
 * On an empty database only: one demo shop with fixed ids. Returns true when it seeded. A demo shop
 * seeded before sign-in existed gets its demo accounts (DEMO_ACCOUNTS) added on the next start.
 */
export async function seedDemoShopIfEmpty(dataSource: DataSource): Promise<boolean> {
  return inTransaction(dataSource, async (tx) => {
    const [{ count }] = await tx.sql<{ count: string }>(`SELECT count(*)::text AS count FROM shops`);
    if (count !== "0") {
      const [demo] = await tx.sql(`SELECT 1 FROM shops WHERE id = $1`, [DEMO_SHOP.shopId]);
      if (demo) await ensureDemoAccounts(tx);
      return false;
    }
    await createShop(tx, {
      shopId: DEMO_SHOP.shopId,
      name: "Demo Coffee Shop",
      products: DEMO_PRODUCTS,
      users: { owner: DEMO_SHOP.ownerId, cashier: DEMO_SHOP.cashierId, viewer: DEMO_SHOP.viewerId },
    });
    await ensureDemoAccounts(tx);
    return true;
  });
}

/** The demo manager and cashier with their documented passwords and PINs; a no-op once they have them. */
async function ensureDemoAccounts(tx: Tx): Promise<void> {
  for (const account of DEMO_ACCOUNTS) {
    const [user] = await tx.sql<{ ready: boolean }>(`SELECT password_hash IS NOT NULL AS ready FROM users WHERE id = $1`, [account.userId]);
    if (user?.ready) continue;
    await tx.sql(
      `INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name, password_hash = EXCLUDED.password_hash`,
      [account.userId, account.email, account.name, await hashPassword(account.password)],
    );
    await tx.sql(`INSERT INTO shop_memberships (shop_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
      DEMO_SHOP.shopId,
      account.userId,
      account.role,
    ]);
    const pin = await hashPin(account.pin);
    await tx.sql(
      `INSERT INTO staff_pins (shop_id, user_id, algorithm, iterations, salt, hash) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT DO NOTHING`,
      [DEMO_SHOP.shopId, account.userId, pin.algorithm, pin.iterations, pin.salt, pin.hash],
    );
  }
}

export async function demoShopExists(dataSource: DataSource): Promise<boolean> {
  const rows = await dataSource.query(`SELECT 1 FROM shops WHERE id = $1`, [DEMO_SHOP.shopId]);
  return rows.length > 0;
}

export type SeededShops = {
  shopId: string;
  customerId: string;
  products: { id: string; name: string; price: number; stock: number; lowStockThreshold: number }[];
  tokens: { owner: string; cashier: string; viewer: string };
  otherShop: { shopId: string; productId: string; customerId: string; tokens: { cashier: string } };
};

/** A fresh pair of shops every call (for tests, demos and benchmarks): nothing is shared with earlier runs. */
export async function seedDemoShops(dataSource: DataSource, jwtSecret: string, ttl = "8h"): Promise<SeededShops> {
  const users = { owner: randomUUID(), cashier: randomUUID(), viewer: randomUUID() };
  const otherCashier = randomUUID();
  const tag = randomUUID().slice(0, 6);
  const [main, other] = await inTransaction(dataSource, async (tx) => [
    await createShop(tx, { name: `Demo shop ${tag}`, products: DEMO_PRODUCTS, users }),
    await createShop(tx, { name: `Other shop ${tag}`, products: DEMO_PRODUCTS.slice(0, 1), users: { cashier: otherCashier } }),
  ]);
  return {
    shopId: main.shopId,
    customerId: main.customerId,
    products: DEMO_PRODUCTS.map((p, i) => ({
      id: main.productIds[i],
      name: p.name,
      price: p.priceCents / 100,
      stock: p.stock,
      lowStockThreshold: p.lowStockThreshold,
    })),
    tokens: {
      owner: issueToken(jwtSecret, users.owner, ttl),
      cashier: issueToken(jwtSecret, users.cashier, ttl),
      viewer: issueToken(jwtSecret, users.viewer, ttl),
    },
    otherShop: {
      shopId: other.shopId,
      productId: other.productIds[0],
      customerId: other.customerId,
      tokens: { cashier: issueToken(jwtSecret, otherCashier, ttl) },
    },
  };
}
