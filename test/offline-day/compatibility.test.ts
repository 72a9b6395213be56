import { randomUUID } from "node:crypto";
import type { SeededShops } from "../../server/src/demo/seed";
import { parseOfflineSale } from "../../server/src/sync/offline-sale.schema";
import { prepareSale } from "../../server/src/sync/prepared-sale";
import { countRows } from "../support/database";
import { saleOf } from "../support/sales";
import { type TestServer, startTestServer } from "../support/test-server";
import { TRANSPORTS, authHeaders, gql } from "../support/transports";
import { signedIn } from "../receipts/receipts-support";
import { customerOf, paidSale, refundOf, syncDay } from "./offline-day-support";

let t: TestServer;
let shop: SeededShops;
beforeAll(async () => {
  t = await startTestServer({ MAX_SALES_PER_REQUEST: "6" });
  shop = await t.seed();
});
afterAll(async () => t.close());

const cashier = () => authHeaders(shop.tokens.cashier, shop.shopId);

function fingerprintOf(raw: unknown): string {
  const parsed = parseOfflineSale(raw);
  if (!parsed.ok) throw new Error(parsed.error);
  return prepareSale(parsed.sale).fingerprint;
}

/**
 * Fingerprints computed with prepared-sale.ts as of commit 622fe7a (before issue 11): a sale without
 * customerClientTempId and payments must keep exactly these, so a retry of a sale stored before the
 * upgrade is still `existing`.
 */
const FIXED_SALE = {
  clientTempId: "0b6f4b0e-3c1a-4d5e-9f00-15a1e5000001",
  items: [
    { productId: "7c9e6679-7425-40de-944b-e07fc1f90ae7", quantity: 2, price: 12, discountPercent: 0 },
    { productId: "7c9e6679-7425-40de-944b-e07fc1f90ae8", quantity: 1, price: 4.5, discountPercent: 10 },
  ],
  totalAmount: 28.05,
  customerId: null,
  createdAt: "2024-01-15T10:30:00Z",
};
const FIXED_FINGERPRINT = "bc5432e432d023a5fce80a18ede0d18f498ed2f431b481d6c5b289ae23e33f75";
const FIXED_WITH_STAFF_AND_RECEIPT = {
  clientTempId: "0b6f4b0e-3c1a-4d5e-9f00-15a1e5000002",
  items: [{ productId: "7c9e6679-7425-40de-944b-e07fc1f90ae7", quantity: 2, price: 12, discountPercent: 0 }],
  totalAmount: 24,
  customerId: "7c9e6679-7425-40de-944b-e07fc1f90ae9",
  staffId: "5e5e0000-0000-4000-8000-0000000000c1",
  receiptNumber: 42,
  createdAt: "2024-01-15T10:30:00Z",
};
const FIXED_WITH_STAFF_AND_RECEIPT_FINGERPRINT = "e8af932429d441e2a1510d56dc78f99c0cc510d65a82caac10fcfea4c4cde191";

describe("fingerprints across the offline-day upgrade", () => {
  it("leaves a sale without customerClientTempId and payments exactly as before", () => {
    expect(fingerprintOf(FIXED_SALE)).toBe(FIXED_FINGERPRINT);
    expect(fingerprintOf({ ...FIXED_SALE, customerClientTempId: null, payments: null })).toBe(FIXED_FINGERPRINT);
    expect(fingerprintOf(FIXED_WITH_STAFF_AND_RECEIPT)).toBe(FIXED_WITH_STAFF_AND_RECEIPT_FINGERPRINT);
  });

  it("includes each new field when it is present", () => {
    const withTemp = fingerprintOf({ ...FIXED_SALE, customerClientTempId: "0B6F4B0E-3C1A-4D5E-9F00-15A1E50000FF" });
    const withPayments = fingerprintOf({ ...FIXED_SALE, payments: [{ method: "CASH", amount: 30 }] });
    expect(new Set([FIXED_FINGERPRINT, withTemp, withPayments]).size).toBe(3);
    expect(fingerprintOf({ ...FIXED_SALE, customerClientTempId: "0b6f4b0e-3c1a-4d5e-9f00-15a1e50000ff" })).toBe(withTemp);
    expect(fingerprintOf({ ...FIXED_SALE, payments: [{ method: "CASH", amount: 30.0, offline: false, reference: null }] })).toBe(withPayments);
    expect(fingerprintOf({ ...FIXED_SALE, payments: [{ method: "CASH", amount: 30.01 }] })).not.toBe(withPayments);
  });

  it.each(TRANSPORTS)("answers existing over $name for a retry of a sale stored with today's fingerprint", async (transport) => {
    const fresh = await t.seed();
    for (const id of FIXED_SALE.items.map((i) => i.productId)) {
      await t.dataSource.query(`INSERT INTO products (shop_id, id, name, sku, price_cents, stock) VALUES ($1, $2, $3, $3, 1200, 0)`, [fresh.shopId, id, `FIX-${id.slice(-2)}`]);
    }
    const headers = authHeaders(fresh.tokens.cashier, fresh.shopId);
    expect((await transport.sync(t.url, headers, [FIXED_SALE])).synced[0].status).toBe("created");
    await t.dataSource.query(`UPDATE offline_sale_syncs SET fingerprint = $3 WHERE shop_id = $1 AND client_temp_id = $2`, [fresh.shopId, FIXED_SALE.clientTempId, FIXED_FINGERPRINT]);
    expect((await syncDay(transport, t.url, headers, { sales: [FIXED_SALE], customers: [] })).sales.synced[0].status).toBe("existing");
    expect((await transport.sync(t.url, headers, [FIXED_SALE])).synced[0].status).toBe("existing");
  });
});

describe.each(TRANSPORTS)("the sales-only contract over $name", (transport) => {
  it("answers a sales-only body exactly as before: the same keys, no new ones", async () => {
    const sale = saleOf(shop);
    const res = await fetch(`${t.url}/api/pos/sync`, { method: "POST", headers: { "content-type": "application/json", ...cashier() }, body: JSON.stringify({ sales: [sale] }) });
    const body = await res.json();
    expect(Object.keys(body)).toEqual(["synced", "errors"]);
    expect(Object.keys(body.synced[0])).toEqual(["clientTempId", "serverId", "orderId", "status", "warnings"]);
    const answer = await transport.sync(t.url, cashier(), [saleOf(shop)]);
    expect(answer.synced[0]).toEqual({ clientTempId: expect.any(String), serverId: expect.any(String), orderId: expect.any(String), status: "created", warnings: [] });
  });

  it("takes customerClientTempId and payments through syncOfflineSales too", async () => {
    const customer = customerOf();
    await syncDay(transport, t.url, cashier(), { customers: [customer] });
    const sale = paidSale(shop, { customerClientTempId: customer.clientTempId, payments: [{ method: "CASH", amount: 100 }] });
    const answer = await transport.sync(t.url, cashier(), [sale]);
    expect(answer.synced[0].warnings).toEqual([]);
    const [row] = await t.dataSource.query(`SELECT c.client_temp_id::text AS c, s.change_cents::int AS change FROM sales s JOIN customers c ON c.shop_id = s.shop_id AND c.id = s.customer_id WHERE s.shop_id = $1 AND s.id = $2`, [shop.shopId, answer.synced[0].serverId]);
    expect(row).toEqual({ c: customer.clientTempId, change: 10000 - Math.round(sale.totalAmount * 100) });
  });

  it("counts customers, sales and refunds together against MAX_SALES_PER_REQUEST (413, nothing written)", async () => {
    const before = await countRows(t.dataSource, "customers", shop.shopId);
    const sale = paidSale(shop);
    const day = { customers: [customerOf(), customerOf(), customerOf()], sales: [sale, paidSale(shop)], refunds: [refundOf(shop, { clientTempId: sale.clientTempId }), refundOf(shop, { clientTempId: sale.clientTempId })] };
    const answer = await syncDay(transport, t.url, cashier(), day);
    expect(answer.httpStatus).toBe(413);
    expect(answer.failure?.message).toContain("at most 6 customers, sales and refunds per request (MAX_SALES_PER_REQUEST), got 7");
    expect(await countRows(t.dataSource, "customers", shop.shopId)).toBe(before);
  });

  it("accepts a body with refunds only, and refuses the whole request to a role without sales:create", async () => {
    const answer = await syncDay(transport, t.url, cashier(), { refunds: [refundOf(shop, { serverId: randomUUID() })] });
    expect(answer.refunds.synced).toHaveLength(1);
    const viewer = await signedIn(t, shop, "viewer");
    const refused = await syncDay(transport, t.url, viewer.headers, { customers: [customerOf()] });
    expect(refused.httpStatus).toBe(403);
    expect(refused.failure?.code).toBe("FORBIDDEN");
  });
});

it("counts syncOffline fields under aliases together with syncOfflineSales before anything runs", async () => {
  const customers = Array.from({ length: 4 }, () => customerOf());
  const res = await gql(
    t.url,
    cashier(),
    `mutation($c: [OfflineCustomerInput!], $s: [OfflineSaleInput!]!) {
       a: syncOffline(customers: $c) { customers { synced { serverId } } }
       b: syncOfflineSales(sales: $s) { synced { serverId } }
     }`,
    { c: customers, s: [saleOf(shop), saleOf(shop), saleOf(shop)] },
  );
  expect(res.status).toBe(413);
  const [row] = await t.dataSource.query(`SELECT count(*)::int AS n FROM customers WHERE shop_id = $1 AND client_temp_id = $2`, [shop.shopId, customers[0].clientTempId]);
  expect(row.n).toBe(0);
});
