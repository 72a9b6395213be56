import { FINGERPRINT_BEFORE_UPGRADES, FIXED_SALE, fingerprintOf } from "../support/fingerprints";
import type { SeededShops } from "../../server/src/demo/seed";
import { checkInvariants } from "../../server/src/invariants/check";
import { type TestServer, startTestServer } from "../support/test-server";
import { TRANSPORTS, authHeaders, gql } from "../support/transports";
import { pairedTill, receiptSale, signedIn, syncWith } from "./receipts-support";

let t: TestServer;
let shop: SeededShops;
beforeAll(async () => {
  t = await startTestServer();
  shop = await t.seed();
});
afterAll(async () => {
  await t.close();
});

const SALE_FIELDS = "id orderId receiptNumber needsReview reviewReasons till { code }";
type SaleView = { id: string; orderId: string; receiptNumber: string | null; needsReview: boolean; reviewReasons: string[]; till: { code: string } | null };

async function saleById(headers: Record<string, string>, id: string): Promise<SaleView | null> {
  const res = await gql<{ sale: SaleView | null }>(t.url, headers, `query($id: ID!) { sale(id: $id) { ${SALE_FIELDS} } }`, { id });
  return res.data?.sale ?? null;
}

describe.each(TRANSPORTS)("receipt numbers over $name", (transport) => {
  it("stores the till's receipt number with the till and shows it as the till code and 6 digits", async () => {
    const fresh = await t.seed();
    const till = await pairedTill(t, fresh);
    const answer = await syncWith(transport, t.url, till.headers, [receiptSale(fresh, 124)]);
    expect(answer.errors).toEqual([]);
    const owner = authHeaders(fresh.tokens.owner, fresh.shopId);
    const sale = await saleById(owner, answer.synced[0].serverId);
    expect(sale).toMatchObject({ receiptNumber: `${till.till.code}-000124`, needsReview: false, till: { code: till.till.code } });
    expect(till.till.code).toMatch(/^T\d{2}$/);
  });

  it("refuses a receiptNumber that is not a positive integer, naming the field, and records the rest", async () => {
    const till = await pairedTill(t, shop);
    const bad = { ...receiptSale(shop, 1), receiptNumber: transport.name === "rest" ? "7" : 0 };
    const good = receiptSale(shop, 2);
    const answer = await syncWith(transport, t.url, till.headers, [bad, good]);
    expect(answer.errors).toEqual([{ clientTempId: bad.clientTempId, error: expect.stringMatching(/^Invalid sale: receiptNumber must be /), retryable: false }]);
    expect(answer.synced.map((s) => s.clientTempId)).toEqual([good.clientTempId]);
  });

  it("keeps a receipt number sent with a user's token as given, without a till (no receipt shown)", async () => {
    const cashier = authHeaders(shop.tokens.cashier, shop.shopId);
    const answer = await syncWith(transport, t.url, cashier, [receiptSale(shop, 77)]);
    expect(answer.errors).toEqual([]);
    const [row] = await t.dataSource.query(`SELECT receipt_number, till_id FROM sales WHERE shop_id = $1 AND id = $2`, [shop.shopId, answer.synced[0].serverId]);
    expect(row).toEqual({ receipt_number: 77, till_id: null });
    expect((await saleById(cashier, answer.synced[0].serverId))?.receiptNumber).toBeNull();
  });

  it("records a restored-from-backup till's reused receipt number, flagged for review naming the other sale", async () => {
    const fresh = await t.seed();
    const till = await pairedTill(t, fresh);
    const original = await syncWith(transport, t.url, till.headers, [receiptSale(fresh, 5), receiptSale(fresh, 6)]);
    expect(original.errors).toEqual([]);
    const restored = await syncWith(transport, t.url, till.headers, [receiptSale(fresh, 5)]);
    expect(restored.errors).toEqual([]);
    const receipt = `${till.till.code}-000005`;
    const reason = `receipt number ${receipt} was already used by sale ${original.synced[0].orderId}; the till may have been restored from a backup`;
    expect(restored.synced[0]).toMatchObject({ status: "created", warnings: [`${reason}; the sale was recorded and flagged for review`] });
    const owner = authHeaders(fresh.tokens.owner, fresh.shopId);
    expect(await saleById(owner, restored.synced[0].serverId)).toMatchObject({ receiptNumber: receipt, needsReview: true, reviewReasons: [reason] });
    expect(await saleById(owner, original.synced[0].serverId)).toMatchObject({ receiptNumber: receipt, needsReview: false });
    expect(await checkInvariants(t.dataSource, { shopId: fresh.shopId })).toEqual([]);
  });
});

describe("receipt numbers within one batch and in the invariant checker", () => {
  it("flags the second of two sales of one batch with the same receipt number, naming the first one's order number", async () => {
    const fresh = await t.seed();
    const till = await pairedTill(t, fresh);
    const answer = await syncWith(TRANSPORTS[1], t.url, till.headers, [receiptSale(fresh, 9), receiptSale(fresh, 9), receiptSale(fresh, 10)]);
    expect(answer.errors).toEqual([]);
    expect(answer.synced.map((s) => s.warnings.length)).toEqual([0, 1, 0]);
    expect(answer.synced[1].warnings[0]).toContain(`was already used by sale ${answer.synced[0].orderId}`);
    expect(await checkInvariants(t.dataSource, { shopId: fresh.shopId })).toEqual([]);
  });

  it("flags exactly one of two sales with one receipt number sent by one till in two batches written at once", async () => {
    const fresh = await t.seed();
    const till = await pairedTill(t, fresh);
    // Over 100 sales each, so the two requests are not coalesced into one transaction.
    const batch = (from: number) => [receiptSale(fresh, 500), ...Array.from({ length: 120 }, (_, i) => receiptSale(fresh, from + i))];
    const [a, b] = await Promise.all([syncWith(TRANSPORTS[0], t.url, till.headers, batch(1)), syncWith(TRANSPORTS[1], t.url, till.headers, batch(200))]);
    expect([a.errors, b.errors]).toEqual([[], []]);
    const flagged = [a.synced[0], b.synced[0]].filter((s) => s.warnings.length > 0);
    expect(flagged).toHaveLength(1);
    expect(await checkInvariants(t.dataSource, { shopId: fresh.shopId })).toEqual([]);
  });

  it("answers a retry of a sale with a receipt number existing, without flagging it as a duplicate of itself", async () => {
    const till = await pairedTill(t, shop);
    const sale = receiptSale(shop, 3);
    const first = await syncWith(TRANSPORTS[0], t.url, till.headers, [sale]);
    const again = await syncWith(TRANSPORTS[1], t.url, till.headers, [sale]);
    expect(again.synced).toEqual([{ ...first.synced[0], status: "existing", warnings: [] }]);
  });

  it("names a till's receipt number used by two sales of which neither is flagged", async () => {
    const fresh = await t.seed();
    const till = await pairedTill(t, fresh);
    const answer = await syncWith(TRANSPORTS[0], t.url, till.headers, [receiptSale(fresh, 1), receiptSale(fresh, 2)]);
    await t.dataSource.query(`UPDATE sales SET receipt_number = 1 WHERE shop_id = $1 AND id = $2`, [fresh.shopId, answer.synced[1].serverId]);
    const broken = await checkInvariants(t.dataSource, { shopId: fresh.shopId });
    expect(broken.map((b) => b.invariant)).toEqual(["receipt-number-unique-per-till"]);
    expect(broken[0].examples[0]).toContain("receipt 1 used by 2 sales not flagged for review");
  });
});

describe("finding a sale by its receipt number", () => {
  let fresh: SeededShops;
  let code: string;
  let otherCode: string;
  let ids: string[];
  beforeAll(async () => {
    fresh = await t.seed();
    const till = await pairedTill(t, fresh);
    const other = await pairedTill(t, fresh, "Back room");
    code = till.till.code;
    otherCode = other.till.code;
    ids = (await syncWith(TRANSPORTS[0], t.url, till.headers, [receiptSale(fresh, 123), receiptSale(fresh, 124)])).synced.map((s) => s.serverId);
    await syncWith(TRANSPORTS[0], t.url, other.headers, [receiptSale(fresh, 124)]);
  });

  it("answers sale(receipt: \"T03-000124\") with that till's sale, in any case and with or without the zeros", async () => {
    const cashier = authHeaders(fresh.tokens.cashier, fresh.shopId);
    for (const receipt of [`${code}-000124`, `${code.toLowerCase()}-124`]) {
      const res = await gql<{ sale: { id: string; receiptNumber: string } | null }>(t.url, cashier, `query($r: String) { sale(receipt: $r) { id receiptNumber } }`, { r: receipt });
      expect(res.data?.sale).toEqual({ id: ids[1], receiptNumber: `${code}-000124` });
    }
    const none = await gql<{ sale: unknown }>(t.url, cashier, `{ sale(receipt: "${code}-000999") { id } }`);
    expect(none.data?.sale).toBeNull();
  });

  it("finds nothing by another shop's receipt number, and refuses a text that is not one, naming receipt", async () => {
    const other = authHeaders(fresh.otherShop.tokens.cashier, fresh.otherShop.shopId);
    expect((await gql<{ sale: unknown }>(t.url, other, `{ sale(receipt: "${code}-000124") { id } }`)).data?.sale).toBeNull();
    const bad = await gql(t.url, authHeaders(fresh.tokens.cashier, fresh.shopId), `{ sale(receipt: "ORD-1") { id } }`);
    expect(bad.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT" }, message: expect.stringContaining("receipt") });
    const both = await gql(t.url, authHeaders(fresh.tokens.cashier, fresh.shopId), `{ sale(id: "${ids[0]}", receipt: "${code}-000123") { id } }`);
    expect(both.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("searches the sales list by a till's receipt number or by the counter on any till", async () => {
    const cashier = authHeaders(fresh.tokens.cashier, fresh.shopId);
    const list = (receipt: string) =>
      gql<{ sales: { items: { id: string; receiptNumber: string }[] } }>(t.url, cashier, `query($r: String) { sales(receipt: $r) { items { id receiptNumber } } }`, { r: receipt });
    expect((await list(`${code}-000123`)).data?.sales.items).toEqual([{ id: ids[0], receiptNumber: `${code}-000123` }]);
    expect((await list("124")).data?.sales.items.map((s) => s.receiptNumber).sort()).toEqual([`${code}-000124`, `${otherCode}-000124`]);
    expect((await list("x\u0000")).errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT" }, message: expect.stringContaining("receipt") });
  });
});

const FINGERPRINT_BEFORE_RECEIPTS = FINGERPRINT_BEFORE_UPGRADES;

describe("fingerprints across the receiptNumber upgrade", () => {
  it("gives a sale without receiptNumber exactly the fingerprint it had before receipt numbers existed", () => {
    expect(fingerprintOf(FIXED_SALE)).toBe(FINGERPRINT_BEFORE_RECEIPTS);
    expect(fingerprintOf({ ...FIXED_SALE, receiptNumber: null })).toBe(FINGERPRINT_BEFORE_RECEIPTS);
  });

  it("includes the receipt number when it is given, so the same sale under another number is another sale", () => {
    const with124 = fingerprintOf({ ...FIXED_SALE, receiptNumber: 124 });
    expect(with124).not.toBe(FINGERPRINT_BEFORE_RECEIPTS);
    expect(fingerprintOf({ ...FIXED_SALE, receiptNumber: 125 })).not.toBe(with124);
    expect(fingerprintOf({ ...FIXED_SALE, receiptNumber: 124 })).toBe(with124);
    const withStaff = fingerprintOf({ ...FIXED_SALE, staffId: "5e5e0000-0000-4000-8000-0000000000c1" });
    expect(fingerprintOf({ ...FIXED_SALE, staffId: "5e5e0000-0000-4000-8000-0000000000c1", receiptNumber: 124 })).not.toBe(withStaff);
  });

  it.each(TRANSPORTS)("refuses over $name a clientTempId sent again with another receipt number (a different sale)", async (transport) => {
    const till = await pairedTill(t, shop);
    const sale = receiptSale(shop, 40);
    await syncWith(transport, t.url, till.headers, [sale]);
    const answer = await syncWith(transport, t.url, till.headers, [{ ...sale, receiptNumber: 41 }]);
    expect(answer.errors).toEqual([
      { clientTempId: sale.clientTempId, error: `clientTempId ${sale.clientTempId} was already used for a different sale; the original was kept unchanged`, retryable: false },
    ]);
  });
});

describe("who may see receipt facts", () => {
  it("shows a sale's receipt number to a cashier, but its till's receipt gaps only to those who manage tills", async () => {
    const cashier = await signedIn(t, shop, "cashier");
    const res = await gql(t.url, cashier.headers, "{ tills { id receiptGaps { from } } }");
    expect(res.errors?.[0].extensions?.code).toBe("FORBIDDEN");
  });
});
