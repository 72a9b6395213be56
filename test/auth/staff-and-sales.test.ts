import { FINGERPRINT_BEFORE_UPGRADES, FIXED_PRODUCTS, FIXED_SALE, fingerprintOf } from "../support/fingerprints";
import { webcrypto } from "node:crypto";
import type { SeededShops } from "../../server/src/demo/seed";
import { pinMatches } from "../../server/src/auth/staff-pin";
import { saleOf } from "../support/sales";
import { type TestServer, startTestServer } from "../support/test-server";
import { TRANSPORTS, authHeaders, gql } from "../support/transports";
import { PASSWORD, addUser, login, pairedTill } from "./auth-support";

let t: TestServer;
let shop: SeededShops;
beforeAll(async () => {
  t = await startTestServer();
  shop = await t.seed();
});
afterAll(async () => {
  await t.close();
});

const SET_PIN = "mutation($u: ID!, $p: String!) { setStaffPin(userId: $u, pin: $p) { id name role pinHash { algorithm iterations salt hash } } }";
const STAFF = "{ staff { id name role pinHash { algorithm iterations salt hash updatedAt } } }";
type PinHash = { algorithm: "PBKDF2-SHA256"; iterations: number; salt: string; hash: string };
type Member = { id: string; name: string; role: string; pinHash: PinHash | null };

async function signedIn(role: "manager" | "cashier") {
  const user = await addUser(t, shop.shopId, role);
  const { body } = await login(t, user.email, PASSWORD);
  return { ...user, headers: authHeaders(body.accessToken, shop.shopId) };
}

/** What the till does in the browser: WebCrypto only, no library. */
async function browserChecksPin(pin: string, stored: PinHash): Promise<boolean> {
  const subtle = webcrypto.subtle;
  const key = await subtle.importKey("raw", new TextEncoder().encode(pin), "PBKDF2", false, ["deriveBits"]);
  const salt = Uint8Array.from(atob(stored.salt), (c) => c.charCodeAt(0));
  const bits = await subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations: stored.iterations }, key, 256);
  return btoa(String.fromCharCode(...new Uint8Array(bits))) === stored.hash;
}

describe("setStaffPin and the staff a till downloads", () => {
  it("lets a manager set a cashier's PIN; a paired till gets a hash it can check offline with WebCrypto", async () => {
    const manager = await signedIn("manager");
    const cashier = await addUser(t, shop.shopId, "cashier");
    const set = await gql<{ setStaffPin: Member }>(t.url, manager.headers, SET_PIN, { u: cashier.id, p: "4821" });
    expect(set.errors).toBeUndefined();
    expect(set.data?.setStaffPin).toMatchObject({ id: cashier.id, name: "Test cashier", role: "CASHIER" });
    const till = await pairedTill(t, shop);
    const staff = await gql<{ staff: Member[] }>(t.url, till.headers, STAFF);
    const member = staff.data?.staff.find((m) => m.id === cashier.id);
    expect(member?.pinHash).toEqual({ algorithm: "PBKDF2-SHA256", iterations: 100_000, salt: expect.any(String), hash: expect.any(String), updatedAt: expect.any(String) });
    expect(await browserChecksPin("4821", member!.pinHash!)).toBe(true);
    expect(await browserChecksPin("4822", member!.pinHash!)).toBe(false);
    expect(await pinMatches("4821", member!.pinHash!)).toBe(true);
    expect(JSON.stringify(staff.data)).not.toContain("4821");
  });

  it("gives every member a salt of their own, so equal PINs do not look equal", async () => {
    const manager = await signedIn("manager");
    const a = await addUser(t, shop.shopId, "cashier");
    const b = await addUser(t, shop.shopId, "cashier");
    const first = await gql<{ setStaffPin: Member }>(t.url, manager.headers, SET_PIN, { u: a.id, p: "1234" });
    const second = await gql<{ setStaffPin: Member }>(t.url, manager.headers, SET_PIN, { u: b.id, p: "1234" });
    expect(first.data?.setStaffPin.pinHash?.salt).not.toBe(second.data?.setStaffPin.pinHash?.salt);
    expect(first.data?.setStaffPin.pinHash?.hash).not.toBe(second.data?.setStaffPin.pinHash?.hash);
  });

  it("lets a cashier set their own PIN but not someone else's, and refuses a PIN that is not 4 to 8 digits", async () => {
    const cashier = await signedIn("cashier");
    const colleague = await addUser(t, shop.shopId, "cashier");
    expect((await gql(t.url, cashier.headers, SET_PIN, { u: cashier.id, p: "12345678" })).errors).toBeUndefined();
    expect((await gql(t.url, cashier.headers, SET_PIN, { u: colleague.id, p: "1234" })).errors?.[0].extensions?.code).toBe("FORBIDDEN");
    for (const pin of ["123", "123456789", "12a4", " 1234"]) {
      const res = await gql(t.url, cashier.headers, SET_PIN, { u: cashier.id, p: pin });
      expect({ pin, code: res.errors?.[0].extensions?.code }).toEqual({ pin, code: "BAD_USER_INPUT" });
    }
    expect((await gql(t.url, cashier.headers, STAFF)).errors?.[0].extensions?.code).toBe("FORBIDDEN");
  });

  it("answers NOT_FOUND for a user who is not a member of the shop", async () => {
    const manager = await signedIn("manager");
    const outsider = await t.server.services.accounts.addUser({ email: `out-${Date.now()}@example.com`, name: "Out", password: PASSWORD });
    expect((await gql(t.url, manager.headers, SET_PIN, { u: outsider.id, p: "1234" })).errors?.[0].extensions?.code).toBe("NOT_FOUND");
  });
});

describe.each(TRANSPORTS)("a sale's staffId over $name", (transport) => {
  it("is recorded with the till's id and shown as Sale.staff and Sale.till", async () => {
    const cashier = await addUser(t, shop.shopId, "cashier");
    const till = await pairedTill(t, shop);
    const sale = { ...saleOf(shop), staffId: cashier.id.toUpperCase() };
    const answer = await transport.sync(t.url, till.headers, [sale]);
    expect(answer.synced).toEqual([expect.objectContaining({ status: "created", warnings: [] })]);
    const rows = await t.dataSource.query(`SELECT till_id::text, staff_id::text FROM sales WHERE shop_id = $1 AND client_temp_id = $2`, [
      shop.shopId,
      sale.clientTempId,
    ]);
    expect(rows).toEqual([{ till_id: till.till.id, staff_id: cashier.id }]);
    const shown = await gql<{ sale: unknown }>(t.url, authHeaders(shop.tokens.cashier, shop.shopId), "query($id: ID!) { sale(id: $id) { staff { id name } till { code } } }", {
      id: answer.synced[0].serverId,
    });
    expect(shown.data?.sale).toEqual({ staff: { id: cashier.id, name: "Test cashier" }, till: { code: till.till.code } });
    expect((await transport.sync(t.url, till.headers, [sale])).synced[0].status).toBe("existing");
  });

  it("is dropped with a warning when unknown or another shop's member; the sale is recorded", async () => {
    const till = await pairedTill(t, shop);
    const foreign = await addUser(t, shop.otherShop.shopId, "cashier");
    const unknown = { ...saleOf(shop), staffId: "00000000-0000-4000-8000-00000000dead" };
    const otherShops = { ...saleOf(shop), staffId: foreign.id };
    const notAUuid = { ...saleOf(shop), staffId: "cashier-1" };
    const answer = await transport.sync(t.url, till.headers, [unknown, otherShops, notAUuid]);
    expect(answer.errors).toEqual([]);
    expect(answer.synced.map((s) => s.warnings)).toEqual([
      ["Staff member 00000000-0000-4000-8000-00000000dead not found; the sale was recorded without a cashier"],
      [`Staff member ${foreign.id} not found; the sale was recorded without a cashier`],
      ["Staff member cashier-1 not found; the sale was recorded without a cashier"],
    ]);
    const rows: { staff_id: string | null }[] = await t.dataSource.query(`SELECT staff_id FROM sales WHERE shop_id = $1 AND client_temp_id = ANY($2::uuid[])`, [
      shop.shopId,
      [unknown, otherShops, notAUuid].map((s) => s.clientTempId),
    ]);
    expect(rows).toEqual([{ staff_id: null }, { staff_id: null }, { staff_id: null }]);
  });

  it("is refused as a different sale when a clientTempId comes back with another staffId", async () => {
    const a = await addUser(t, shop.shopId, "cashier");
    const b = await addUser(t, shop.shopId, "cashier");
    const sale = { ...saleOf(shop), staffId: a.id };
    await transport.sync(t.url, authHeaders(shop.tokens.cashier, shop.shopId), [sale]);
    const answer = await transport.sync(t.url, authHeaders(shop.tokens.cashier, shop.shopId), [{ ...sale, staffId: b.id }]);
    expect(answer.errors[0].error).toMatch(/already used for a different sale/);
  });

  it("records no till for a user's own token, as before", async () => {
    const sale = saleOf(shop);
    await transport.sync(t.url, authHeaders(shop.tokens.cashier, shop.shopId), [sale]);
    const rows = await t.dataSource.query(`SELECT till_id, staff_id FROM sales WHERE shop_id = $1 AND client_temp_id = $2`, [shop.shopId, sale.clientTempId]);
    expect(rows).toEqual([{ till_id: null, staff_id: null }]);
  });
});

/**
 * A sale of fixed values and the fingerprint today's code gave it, computed with prepared-sale.ts as
 * of commit bef1970 (before staffId existed). A till retrying a sale stored before the upgrade must
 * still be answered `existing`, so a sale without staffId must keep exactly this fingerprint.
 */
const FINGERPRINT_BEFORE_STAFF_ID = FINGERPRINT_BEFORE_UPGRADES;

describe("fingerprints across the staffId upgrade", () => {
  it("gives a sale without staffId exactly the fingerprint it had before staffId existed", () => {
    expect(fingerprintOf(FIXED_SALE)).toBe(FINGERPRINT_BEFORE_STAFF_ID);
    expect(fingerprintOf({ ...FIXED_SALE, staffId: null })).toBe(FINGERPRINT_BEFORE_STAFF_ID);
    const { customerId: _none, ...withoutCustomer } = FIXED_SALE;
    expect(fingerprintOf(withoutCustomer)).toBe(FINGERPRINT_BEFORE_STAFF_ID);
  });

  it("includes staffId when it is given (in any case)", () => {
    const withStaff = fingerprintOf({ ...FIXED_SALE, staffId: "5E5E0000-0000-4000-8000-0000000000C1" });
    expect(withStaff).not.toBe(FINGERPRINT_BEFORE_STAFF_ID);
    expect(fingerprintOf({ ...FIXED_SALE, staffId: "5e5e0000-0000-4000-8000-0000000000c1" })).toBe(withStaff);
  });

  it.each(TRANSPORTS)("answers existing over $name for a retry of a sale whose mapping holds the fingerprint stored by today's code", async (transport) => {
    const fresh = await t.seed();
    for (const id of FIXED_PRODUCTS) {
      await t.dataSource.query(`INSERT INTO products (shop_id, id, name, sku, price_cents, stock) VALUES ($1, $2, $3, $3, 1200, 0)`, [fresh.shopId, id, `FIX-${id.slice(-2)}`]);
    }
    const headers = authHeaders(fresh.tokens.cashier, fresh.shopId);
    const first = await transport.sync(t.url, headers, [FIXED_SALE]);
    expect(first.synced[0].status).toBe("created");
    // Stand-in for a mapping written before the upgrade: its fingerprint is what today's code stored.
    await t.dataSource.query(`UPDATE offline_sale_syncs SET fingerprint = $3 WHERE shop_id = $1 AND client_temp_id = $2`, [
      fresh.shopId,
      FIXED_SALE.clientTempId,
      FINGERPRINT_BEFORE_STAFF_ID,
    ]);
    const retried = await transport.sync(t.url, headers, [FIXED_SALE]);
    expect(retried.synced).toEqual([{ ...first.synced[0], status: "existing", warnings: [] }]);
    expect(retried.errors).toEqual([]);
  });
});
