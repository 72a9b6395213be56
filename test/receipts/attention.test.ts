import type { SeededShops } from "../../server/src/demo/seed";
import { ConfigError, loadConfig } from "../../server/src/config/config";
import { type TestServer, startTestServer } from "../support/test-server";
import { TRANSPORTS, authHeaders, gql } from "../support/transports";
import { ATTENTION, RESOLVE, type AttentionView, attention, pairedTill, receiptSale, signedIn, syncWith, unknownProduct } from "./receipts-support";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ TILL_SILENCE_HOURS: "2" });
});
afterAll(async () => {
  await t.close();
});

type Fixture = { shop: SeededShops; owner: Record<string, string>; till: Awaited<ReturnType<typeof pairedTill>> };

async function fixture(): Promise<Fixture> {
  const shop = await t.seed();
  return { shop, owner: authHeaders(shop.tokens.owner, shop.shopId), till: await pairedTill(t, shop, "Window") };
}

const refusedSale = (shop: SeededShops, n: number, productId = unknownProduct()) =>
  receiptSale(shop, n, { items: [{ productId, quantity: 1, price: 1 }], totalAmount: 1 });

async function resolve(headers: Record<string, string>, id: string, note?: string) {
  return gql<{ resolveAttention: AttentionView }>(t.url, headers, RESOLVE, { id, note });
}

const ids = (items: AttentionView[]) => items.map((i) => i.id).sort();

describe("the attention list's items", () => {
  it("lists a kept rejection with its till, when, a sentence and what it refers to", async () => {
    const { shop, owner, till } = await fixture();
    const sale = refusedSale(shop, 1, "x-123");
    for (let i = 0; i < 3; i++) await syncWith(TRANSPORTS[i % 2], t.url, till.headers, [sale]);
    const [item] = await attention(t, owner);
    expect(item).toEqual({
      id: expect.stringMatching(/^rejection:[0-9a-f-]{36}$/),
      kind: "REJECTION",
      till: { id: till.till.id, code: till.till.code, name: "Window" },
      at: expect.any(String),
      message: expect.stringMatching(new RegExp(`^Till ${till.till.code} sent a sale \\(receipt ${till.till.code}-000001\\) with product 'x-123' that does not exist \\(sent 3 times since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\)\\.$`)),
      refersTo: { kind: "SALE_REJECTION", id: item.id.slice("rejection:".length) },
      resolution: null,
    });
  });

  it("lists a sale flagged for review, a product below zero and missing receipts, each once", async () => {
    const { shop, owner, till } = await fixture();
    const mug = shop.products[2];
    const flagged = receiptSale(shop, 1, { totalAmount: 999 });
    const oversold = receiptSale(shop, 4, { items: [{ productId: mug.id, quantity: mug.stock + 2, price: mug.price }], totalAmount: mug.price * (mug.stock + 2) });
    const answer = await syncWith(TRANSPORTS[1], t.url, till.headers, [flagged, oversold], { unsentCount: 0 });
    expect(answer.errors).toEqual([]);
    const items = await attention(t, owner);
    expect(items.map((i) => i.kind).sort()).toEqual(["MISSING_RECEIPTS", "NEGATIVE_STOCK", "REVIEW"]);
    expect(items.find((i) => i.kind === "REVIEW")).toMatchObject({
      id: `review:${answer.synced[0].serverId}`,
      refersTo: { kind: "SALE", id: answer.synced[0].serverId },
      message: expect.stringContaining(`Sale ${answer.synced[0].orderId} (receipt ${till.till.code}-000001) from till ${till.till.code} was recorded but needs a look: totalAmount 999.00 differs`),
    });
    expect(items.find((i) => i.kind === "NEGATIVE_STOCK")).toMatchObject({
      id: `stock:${mug.id}`,
      till: null,
      refersTo: { kind: "PRODUCT", id: mug.id },
      message: `Product '${mug.name}' is at -2 in stock: more was sold than the server knew it had. Count it and adjust the stock.`,
    });
    expect(items.find((i) => i.kind === "MISSING_RECEIPTS")).toMatchObject({ id: `gap:${till.till.id}:2-3`, refersTo: { kind: "TILL", id: till.till.id } });
    expect(items.map((i) => i.at)).toEqual([...items.map((i) => i.at)].sort().reverse());
  });

  it("lists a restored-from-backup till's reused receipt number as a review naming the other sale", async () => {
    const { shop, owner, till } = await fixture();
    const original = await syncWith(TRANSPORTS[0], t.url, till.headers, [receiptSale(shop, 1)]);
    const restored = await syncWith(TRANSPORTS[1], t.url, till.headers, [receiptSale(shop, 1)]);
    expect(await attention(t, owner)).toEqual([
      expect.objectContaining({
        id: `review:${restored.synced[0].serverId}`,
        kind: "REVIEW",
        till: { id: till.till.id, code: till.till.code, name: "Window" },
        refersTo: { kind: "SALE", id: restored.synced[0].serverId },
        message: `Sale ${restored.synced[0].orderId} (receipt ${till.till.code}-000001) from till ${till.till.code} was recorded but needs a look: receipt number ${till.till.code}-000001 was already used by sale ${original.synced[0].orderId}; the till may have been restored from a backup.`,
      }),
    ]);
  });

  it("lists missing receipts with a sentence saying which numbers and that the till no longer holds them", async () => {
    const { shop, owner, till } = await fixture();
    const code = till.till.code;
    await syncWith(TRANSPORTS[0], t.url, till.headers, [1, 2, 6].map((n) => receiptSale(shop, n)), { unsentCount: 3, lowestReceipt: 3, highestReceipt: 5 });
    expect(await attention(t, owner)).toEqual([]);
    await syncWith(TRANSPORTS[1], t.url, till.headers, [], { unsentCount: 0 });
    expect(await attention(t, owner)).toEqual([
      expect.objectContaining({
        id: `gap:${till.till.id}:3-5`,
        kind: "MISSING_RECEIPTS",
        refersTo: { kind: "TILL", id: till.till.id },
        message: `Receipts ${code}-000003 to ${code}-000005 (3 sales) of till ${code} never reached the server, and the till reports it no longer holds them.`,
      }),
    ]);
  });

  it("lists a till not seen for TILL_SILENCE_HOURS whose last report had unsent sales, and not one that had none", async () => {
    const { shop, owner, till } = await fixture();
    const quiet = await pairedTill(t, shop, "Quiet");
    await syncWith(TRANSPORTS[0], t.url, till.headers, [receiptSale(shop, 1)], { unsentCount: 4, lowestReceipt: 2, highestReceipt: 5 });
    await syncWith(TRANSPORTS[0], t.url, quiet.headers, [receiptSale(shop, 1)], { unsentCount: 0 });
    const backdate = (hours: number) =>
      t.dataSource.query(`UPDATE tills SET last_seen_at = now() - make_interval(hours => $2), state_reported_at = now() - make_interval(hours => $2) WHERE shop_id = $1`, [shop.shopId, hours]);
    await backdate(1);
    expect((await attention(t, owner)).filter((i) => i.kind === "SILENT_TILL")).toEqual([]);
    await backdate(3);
    const silent = (await attention(t, owner)).filter((i) => i.kind === "SILENT_TILL");
    expect(silent).toEqual([
      expect.objectContaining({
        id: `silent:${till.till.id}`,
        till: { id: till.till.id, code: till.till.code, name: "Window" },
        refersTo: { kind: "TILL", id: till.till.id },
        message: expect.stringMatching(new RegExp(`^Till ${till.till.code} \\('Window'\\) has not been seen for 3 hours \\(since .+ UTC\\) and last reported 4 unsent sales\\.$`)),
      }),
    ]);
  });
});

describe("resolveAttention", () => {
  it("records who resolved an item, when and the note, in the audit trail, and the item leaves the list", async () => {
    const { shop, owner, till } = await fixture();
    const manager = await signedIn(t, shop, "manager");
    await syncWith(TRANSPORTS[0], t.url, till.headers, [refusedSale(shop, 1)]);
    const [item] = await attention(t, manager.headers);
    const res = await resolve(manager.headers, item.id, "Deleted at the till");
    expect(res.errors).toBeUndefined();
    expect(res.data?.resolveAttention).toMatchObject({ id: item.id, resolution: { resolvedBy: manager.id, note: "Deleted at the till", resolvedAt: expect.any(String) } });
    expect(await attention(t, owner)).toEqual([]);
    expect(await attention(t, owner, true)).toEqual([expect.objectContaining({ id: item.id, resolution: expect.objectContaining({ resolvedBy: manager.id }) })]);
    const audit = await t.dataSource.query(`SELECT item_id, kind, version, resolved_by::text AS by, note FROM attention_resolutions WHERE shop_id = $1`, [shop.shopId]);
    expect(audit).toEqual([{ item_id: item.id, kind: "rejection", version: "1", by: manager.id, note: "Deleted at the till" }]);
    const [row] = await t.dataSource.query(`SELECT resolution, resolved_by::text AS by FROM sale_rejections WHERE shop_id = $1`, [shop.shopId]);
    expect(row).toEqual({ resolution: "manual", by: manager.id });
  });

  it("brings a resolved rejection back only when it is sent again", async () => {
    const { shop, owner, till } = await fixture();
    const sale = refusedSale(shop, 1);
    await syncWith(TRANSPORTS[0], t.url, till.headers, [sale]);
    const [item] = await attention(t, owner);
    await resolve(owner, item.id);
    expect(await attention(t, owner)).toEqual([]);
    await syncWith(TRANSPORTS[1], t.url, till.headers, [sale]);
    expect(await attention(t, owner)).toEqual([expect.objectContaining({ id: item.id, resolution: null, message: expect.stringContaining("sent 2 times") })]);
  });

  it("brings negative stock back only when it goes lower than when it was resolved", async () => {
    const { shop, owner, till } = await fixture();
    const mug = shop.products[2];
    const sell = (quantity: number) => syncWith(TRANSPORTS[0], t.url, till.headers, [receiptSale(shop, null, { items: [{ productId: mug.id, quantity, price: mug.price }], totalAmount: mug.price * quantity })]);
    await sell(mug.stock + 2);
    await resolve(owner, `stock:${mug.id}`, "Counted");
    await gql(t.url, owner, `mutation($p: ID!) { adjustInventory(productId: $p, delta: 1, reason: "found one") { stock } }`, { p: mug.id });
    expect(await attention(t, owner)).toEqual([]);
    await sell(3);
    expect(await attention(t, owner)).toEqual([expect.objectContaining({ id: `stock:${mug.id}`, message: expect.stringContaining("is at -4 in stock") })]);
  });

  it("keeps a resolved gap away as it shrinks, and lists a new gap", async () => {
    const { shop, owner, till } = await fixture();
    await syncWith(TRANSPORTS[0], t.url, till.headers, [1, 6].map((n) => receiptSale(shop, n)), { unsentCount: 0 });
    expect(ids(await attention(t, owner))).toEqual([`gap:${till.till.id}:2-5`]);
    await resolve(owner, `gap:${till.till.id}:2-5`, "Paper receipts 2-5 entered by hand");
    await syncWith(TRANSPORTS[1], t.url, till.headers, [3, 9].map((n) => receiptSale(shop, n)), { unsentCount: 0 });
    expect(ids(await attention(t, owner))).toEqual([`gap:${till.till.id}:7-8`]);
  });

  it("keeps a resolved silent till away until the till is seen again and then falls silent again", async () => {
    const { shop, owner, till } = await fixture();
    await syncWith(TRANSPORTS[0], t.url, till.headers, [receiptSale(shop, 1)], { unsentCount: 2, lowestReceipt: 2, highestReceipt: 3 });
    const backdate = () => t.dataSource.query(`UPDATE tills SET last_seen_at = now() - interval '5 hours', state_reported_at = now() - interval '5 hours' WHERE shop_id = $1`, [shop.shopId]);
    await backdate();
    await resolve(owner, `silent:${till.till.id}`);
    expect((await attention(t, owner)).filter((i) => i.kind === "SILENT_TILL")).toEqual([]);
    await syncWith(TRANSPORTS[0], t.url, till.headers, [], { unsentCount: 2, lowestReceipt: 2, highestReceipt: 3 });
    await t.dataSource.query(`UPDATE tills SET last_seen_at = now() - interval '4 hours', state_reported_at = now() - interval '4 hours' WHERE shop_id = $1`, [shop.shopId]);
    expect((await attention(t, owner)).filter((i) => i.kind === "SILENT_TILL").map((i) => i.id)).toEqual([`silent:${till.till.id}`]);
  });

  it("keeps a resolved review away for good", async () => {
    const { shop, owner, till } = await fixture();
    const answer = await syncWith(TRANSPORTS[0], t.url, till.headers, [receiptSale(shop, 1, { totalAmount: 1 })]);
    await resolve(owner, `review:${answer.synced[0].serverId}`);
    await syncWith(TRANSPORTS[0], t.url, till.headers, [receiptSale(shop, 2)]);
    expect(await attention(t, owner)).toEqual([]);
  });

  it("answers NOT_FOUND for an id that is not one of the shop's current items, and refuses a note that cannot be stored", async () => {
    const { shop, owner } = await fixture();
    for (const id of ["x", `stock:${shop.products[0].id}`, `review:${shop.customerId}`, `gap:${shop.shopId}:1-2`]) {
      expect((await resolve(owner, id)).errors?.[0].extensions?.code).toBe("NOT_FOUND");
    }
    const mug = shop.products[2];
    await gql(t.url, owner, `mutation($p: ID!) { adjustInventory(productId: $p, delta: -9, reason: "broken") { stock } }`, { p: mug.id });
    const bad = await resolve(owner, `stock:${mug.id}`, "a\u0000b");
    expect(bad.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT" }, message: expect.stringContaining("note") });
  });
});

describe("who sees the attention list", () => {
  it("never shows another shop's items, not even by id", async () => {
    const a = await fixture();
    await syncWith(TRANSPORTS[0], t.url, a.till.headers, [refusedSale(a.shop, 1)]);
    const [item] = await attention(t, a.owner);
    const b = await fixture();
    const otherOwner = b.owner;
    expect(await attention(t, otherOwner)).toEqual([]);
    expect((await resolve(otherOwner, item.id)).errors?.[0].extensions?.code).toBe("NOT_FOUND");
    expect((await attention(t, a.owner)).map((i) => i.id)).toEqual([item.id]);
  });

  it("refuses the list and resolving to a cashier, a viewer and a till, and allows a manager", async () => {
    const { shop, till } = await fixture();
    const cashier = await signedIn(t, shop, "cashier");
    const viewer = await signedIn(t, shop, "viewer");
    const manager = await signedIn(t, shop, "manager");
    for (const headers of [cashier.headers, viewer.headers, till.headers]) {
      expect((await gql(t.url, headers, ATTENTION, {})).errors?.[0].extensions?.code).toBe("FORBIDDEN");
      expect((await resolve(headers, `silent:${till.till.id}`)).errors?.[0].extensions?.code).toBe("FORBIDDEN");
    }
    expect((await gql(t.url, manager.headers, ATTENTION, {})).errors).toBeUndefined();
  });
});

describe("TILL_SILENCE_HOURS", () => {
  it("is 24 hours by default and must be a positive number of hours", () => {
    expect(loadConfig({}).attention.tillSilenceHours).toBe(24);
    expect(loadConfig({ TILL_SILENCE_HOURS: "0.5" }).attention.tillSilenceHours).toBe(0.5);
    for (const bad of ["0", "-1", "soon"]) expect(() => loadConfig({ TILL_SILENCE_HOURS: bad })).toThrow(ConfigError);
    expect(() => loadConfig({ TILL_SILENCE_HOURS: "0" })).toThrow(/TILL_SILENCE_HOURS/);
  });
});
