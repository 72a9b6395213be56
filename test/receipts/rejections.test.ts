import { randomUUID } from "node:crypto";
import type { SeededShops } from "../../server/src/demo/seed";
import { boundedPayload, MAX_REJECTION_PAYLOAD_BYTES } from "../../server/src/receipts/rejection-payload";
import { type TestServer, startTestServer } from "../support/test-server";
import { TRANSPORTS, authHeaders } from "../support/transports";
import { pairedTill, receiptSale, syncWith, tillView, unknownProduct } from "./receipts-support";

let t: TestServer;
let shop: SeededShops;
beforeAll(async () => {
  t = await startTestServer();
  shop = await t.seed();
});
afterAll(async () => {
  await t.close();
});

type RejectionRow = {
  client_temp_id: string;
  till_id: string | null;
  receipt_number: number | null;
  payload: Record<string, unknown>;
  error_code: string;
  error_message: string;
  times_sent: number;
  first_seen_at: Date;
  last_seen_at: Date;
  resolved_at: Date | null;
  resolution: string | null;
};

async function rejectionOf(shopId: string, clientTempId: string): Promise<RejectionRow | undefined> {
  const rows: RejectionRow[] = await t.dataSource.query(
    `SELECT client_temp_id::text, till_id::text, receipt_number, payload, error_code, error_message, times_sent,
            first_seen_at, last_seen_at, resolved_at, resolution
       FROM sale_rejections WHERE shop_id = $1 AND client_temp_id = $2`,
    [shopId, clientTempId.toLowerCase()],
  );
  return rows[0];
}

const withUnknownProduct = (productId = unknownProduct(), n = 7) =>
  receiptSale(shop, n, { items: [{ productId, quantity: 1, price: 2.5, discountPercent: 0 }], totalAmount: 2.5 });

describe.each(TRANSPORTS)("rejections kept over $name", (transport) => {
  it("keeps a refused sale with its payload, error and till, answering exactly as before", async () => {
    const till = await pairedTill(t, shop);
    const sale = withUnknownProduct();
    const answer = await syncWith(transport, t.url, till.headers, [sale]);
    expect(answer).toMatchObject({ httpStatus: 200, synced: [] });
    expect(answer.errors).toEqual([{ clientTempId: sale.clientTempId, error: `Product ${sale.items[0].productId} not found`, retryable: false }]);
    const row = await rejectionOf(shop.shopId, sale.clientTempId);
    expect(row).toMatchObject({
      till_id: till.till.id,
      receipt_number: 7,
      error_code: "PRODUCT_NOT_FOUND",
      error_message: `Product ${sale.items[0].productId} not found`,
      times_sent: 1,
      resolved_at: null,
      payload: expect.objectContaining({ clientTempId: sale.clientTempId, receiptNumber: 7, totalAmount: 2.5, createdAt: sale.createdAt }),
    });
  });

  it("counts each resend of a kept rejection once, and resolves it when the same clientTempId later syncs", async () => {
    const till = await pairedTill(t, shop);
    const productId = randomUUID();
    const sale = withUnknownProduct(productId);
    const first = await syncWith(transport, t.url, till.headers, [sale]);
    // The till sends it twice in one request, then once more: one per request.
    const second = await syncWith(transport, t.url, till.headers, [sale, sale]);
    expect(second.errors).toEqual([first.errors[0], first.errors[0]]);
    await syncWith(transport, t.url, till.headers, [sale]);
    const counted = await rejectionOf(shop.shopId, sale.clientTempId);
    expect(counted).toMatchObject({ times_sent: 3, resolved_at: null });
    expect(counted!.last_seen_at.getTime()).toBeGreaterThan(counted!.first_seen_at.getTime());
    // A manager creates the missing product; the till's next sync records the sale.
    await t.dataSource.query(`INSERT INTO products (shop_id, id, name, sku, price_cents, stock) VALUES ($1, $2, 'Late tea', $3, 250, 0)`, [
      shop.shopId,
      productId,
      `TEA-${productId}`,
    ]);
    const synced = await syncWith(transport, t.url, till.headers, [sale]);
    expect(synced.synced).toEqual([expect.objectContaining({ clientTempId: sale.clientTempId, status: "created" })]);
    expect(await rejectionOf(shop.shopId, sale.clientTempId)).toMatchObject({ times_sent: 3, resolution: "synced", resolved_at: expect.any(Date) });
  });

  it("keeps invalid fields and a reused clientTempId as rejections with their own codes, and no server failure", async () => {
    const till = await pairedTill(t, shop);
    const invalid = { ...receiptSale(shop, 1), items: [{ productId: shop.products[0].id, quantity: 0, price: 1 }] };
    const original = receiptSale(shop, 2);
    await syncWith(transport, t.url, till.headers, [original]);
    const reused = { ...original, totalAmount: original.totalAmount + 1 };
    const answer = await syncWith(transport, t.url, till.headers, [invalid, reused]);
    expect(answer.errors).toEqual([
      { clientTempId: invalid.clientTempId, error: "Invalid sale: items[0].quantity must be a positive integer", retryable: false },
      { clientTempId: original.clientTempId, error: `clientTempId ${original.clientTempId} was already used for a different sale; the original was kept unchanged`, retryable: false },
    ]);
    expect(await rejectionOf(shop.shopId, invalid.clientTempId)).toMatchObject({ error_code: "INVALID_SALE", receipt_number: 1 });
    expect(await rejectionOf(shop.shopId, original.clientTempId)).toMatchObject({ error_code: "CLIENT_TEMP_ID_REUSED", resolved_at: null, receipt_number: 2 });
  });

  it("counts refused sales without a usable clientTempId on their till, and on the shop for a user's token", async () => {
    const fresh = await t.seed();
    const till = await pairedTill(t, fresh);
    const noId = [{ ...receiptSale(fresh, 1), clientTempId: "not-a-uuid" }, { items: [] }, null, "x"];
    const answer = await syncWith(transport, t.url, till.headers, transport.name === "rest" ? noId : [noId[0]]);
    expect(answer.errors.map((e) => e.clientTempId)).toEqual(transport.name === "rest" ? ["not-a-uuid", "", "", ""] : ["not-a-uuid"]);
    expect((await tillView(t, authHeaders(fresh.tokens.owner, fresh.shopId), till.till.id)).unidentifiedRejections).toBe(transport.name === "rest" ? 4 : 1);
    await syncWith(transport, t.url, authHeaders(fresh.tokens.cashier, fresh.shopId), [noId[0]]);
    const [{ n }] = await t.dataSource.query(`SELECT unidentified_rejections AS n FROM shops WHERE id = $1`, [fresh.shopId]);
    expect(n).toBe(1);
    const [{ kept }] = await t.dataSource.query(`SELECT count(*)::int AS kept FROM sale_rejections WHERE shop_id = $1`, [fresh.shopId]);
    expect(kept).toBe(0);
  });

  it("keeps a rejection whose payload holds text jsonb cannot store, without failing the request", async () => {
    const till = await pairedTill(t, shop);
    const sale = { ...withUnknownProduct(), customerId: "bad\u0000id\ud800" };
    const good = receiptSale(shop, 8);
    const answer = await syncWith(transport, t.url, till.headers, [sale, good]);
    expect(answer.httpStatus).toBe(200);
    expect(answer.synced.map((s) => s.clientTempId)).toEqual([good.clientTempId]);
    expect(answer.errors).toHaveLength(1);
    const row = await rejectionOf(shop.shopId, sale.clientTempId);
    expect(row?.payload.customerId).toBe("bad\uFFFDid\uFFFD");
  });
});

describe("rejections and the sync's own fault tolerance", () => {
  it("keeps the rejections of a batch whose set-based transaction was rolled back and written again in halves", async () => {
    const fresh = await t.seed();
    const till = await pairedTill(t, fresh);
    const product = fresh.products[2];
    // One line more takes the product's int4 stock past its range: the batch's transaction fails.
    await t.dataSource.query(`UPDATE products SET stock = -2147483000 WHERE shop_id = $1 AND id = $2`, [fresh.shopId, product.id]);
    const overflow = receiptSale(fresh, 2, { items: [{ productId: product.id, quantity: 1000, price: 0 }], totalAmount: 0 });
    const invalid = { ...receiptSale(fresh, 3), totalAmount: "12" };
    const good = [receiptSale(fresh, 1), receiptSale(fresh, 4)];
    const answer = await syncWith(TRANSPORTS[0], t.url, till.headers, [good[0], overflow, invalid, good[1]]);
    expect(answer.synced.map((s) => s.clientTempId)).toEqual(good.map((g) => g.clientTempId));
    expect(answer.errors.map((e) => [e.clientTempId, e.retryable])).toEqual([[overflow.clientTempId, false], [invalid.clientTempId, false]]);
    expect(await rejectionOf(fresh.shopId, overflow.clientTempId)).toMatchObject({ error_code: "OUT_OF_RANGE", times_sent: 1 });
    expect(await rejectionOf(fresh.shopId, invalid.clientTempId)).toMatchObject({ error_code: "INVALID_SALE", times_sent: 1 });
  });

  it.each(TRANSPORTS)("answers over $name exactly as before when the rejections cannot be written", async (transport) => {
    const fresh = await t.seed();
    const till = await pairedTill(t, fresh);
    await t.dataSource.query(`CREATE OR REPLACE FUNCTION refuse_rejection() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'rejections are down'; END $$`);
    await t.dataSource.query(`CREATE TRIGGER refuse_rejection_${fresh.shopId.slice(0, 8)} BEFORE INSERT ON sale_rejections FOR EACH ROW
      WHEN (NEW.shop_id = '${fresh.shopId}') EXECUTE FUNCTION refuse_rejection()`);
    try {
      const refused = receiptSale(fresh, 1, { items: [{ productId: unknownProduct(), quantity: 1, price: 1 }], totalAmount: 1 });
      const good = receiptSale(fresh, 2);
      const answer = await syncWith(transport, t.url, till.headers, [refused, good]);
      expect(answer.httpStatus).toBe(200);
      expect(answer.synced.map((s) => [s.clientTempId, s.status])).toEqual([[good.clientTempId, "created"]]);
      expect(answer.errors).toEqual([{ clientTempId: refused.clientTempId, error: `Product ${refused.items[0].productId} not found`, retryable: false }]);
      expect(await rejectionOf(fresh.shopId, refused.clientTempId)).toBeUndefined();
    } finally {
      await t.dataSource.query(`DROP TRIGGER refuse_rejection_${fresh.shopId.slice(0, 8)} ON sale_rejections`);
    }
  });
});

describe("a kept rejection's payload is bounded by the request's limits", () => {
  it("keeps at most 500 lines and 200 characters per text, and marks what it cut", () => {
    const raw = { clientTempId: randomUUID(), note: "x".repeat(5000), items: Array.from({ length: 2000 }, (_, i) => ({ productId: `p${i}`, quantity: 1 })) };
    const kept = JSON.parse(boundedPayload(raw)) as { items: unknown[]; note: string; truncated: boolean; clientTempId: string };
    expect(kept.items).toHaveLength(500);
    expect(kept.note).toHaveLength(201);
    expect(kept).toMatchObject({ truncated: true, clientTempId: raw.clientTempId });
    expect(Buffer.byteLength(boundedPayload(raw))).toBeLessThanOrEqual(MAX_REJECTION_PAYLOAD_BYTES);
  });

  it("keeps only the scalar fields of a payload still too large after that", () => {
    const wide = Array.from({ length: 500 }, () => Object.fromEntries(Array.from({ length: 20 }, (_, k) => [`k${k}`, "y".repeat(200)])));
    const text = boundedPayload({ clientTempId: "abc", totalAmount: 3, items: wide });
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_REJECTION_PAYLOAD_BYTES);
    expect(JSON.parse(text)).toEqual({ clientTempId: "abc", totalAmount: 3, truncated: true, bytes: expect.any(Number) });
  });

  it("stores a value that is not an object as { value }", () => {
    expect(JSON.parse(boundedPayload("x"))).toEqual({ value: "x" });
    expect(JSON.parse(boundedPayload(null))).toEqual({ value: null });
  });
});
