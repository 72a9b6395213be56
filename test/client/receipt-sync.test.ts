import { MemoryStorage, type PairTillAnswer, type PosClient, receiptOf } from "../../client/src";
import type { SeededShops } from "../../server/src/demo/seed";
import { type TestServer, startTestServer } from "../support/test-server";
import { authHeaders, gql } from "../support/transports";
import { authClient, loggingFetch, pairedTillAnswer } from "./auth-harness";

/** A paired till's receipt numbers and outbox reports reaching the real server (issue 10). */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

type Gap = { from: number; to: number; status: string };
type TillRow = { code: string; unsentCount: number | null; highestReceipt: number | null; receiptGaps: Gap[] };

async function tillOf(shop: SeededShops, paired: PairTillAnswer): Promise<TillRow> {
  const res = await gql<{ tills: (TillRow & { id: string })[] }>(
    t.url,
    authHeaders(shop.tokens.owner, shop.shopId),
    `{ tills { id code unsentCount highestReceipt receiptGaps { from to status } } }`,
  );
  const till = res.data?.tills.find((x) => x.id === paired.till.id);
  if (!till) throw new Error(`no till: ${JSON.stringify(res.errors)}`);
  return till;
}

async function pairedClient(shop: SeededShops, options: { batchSize?: number } = {}) {
  const paired = await pairedTillAnswer(t, shop);
  const net = loggingFetch();
  const client = authClient(t, shop.shopId, { storage: new MemoryStorage(), credential: paired, till: paired.till, fetch: net.fetch, ...options });
  await client.ready;
  return { paired, client, net };
}

function sell(client: PosClient, shop: SeededShops) {
  const product = shop.products[0];
  return client.recordSale({ items: [{ productId: product.id, quantity: 1, price: product.price }] });
}

describe("a paired till's receipt numbers on the server", () => {
  it("sends each sale's number: the server shows the same T01-000001 and finds the sale by it", async () => {
    const shop = await t.seed();
    const { client } = await pairedClient(shop);
    const records = [await sell(client, shop), await sell(client, shop)];
    expect(await client.sync()).toMatchObject({ kind: "done", synced: 2 });
    const labels = records.map(receiptOf);
    expect(labels).toEqual(["T01-000001", "T01-000002"]);
    const res = await gql<{ sale: { clientTempId: string; receiptNumber: string } | null }>(
      t.url,
      authHeaders(shop.tokens.owner, shop.shopId),
      `query($r: String!) { sale(receipt: $r) { clientTempId receiptNumber } }`,
      { r: labels[1] },
    );
    expect(res.data?.sale).toEqual({ clientTempId: records[1].clientTempId, receiptNumber: "T01-000002" });
    await client.dispose();
  });

  it("reports with each request what it will still hold: exact after the last batch, so the server sees no gap", async () => {
    const shop = await t.seed();
    const { paired, client, net } = await pairedClient(shop, { batchSize: 2 });
    for (let i = 0; i < 5; i++) await sell(client, shop);
    expect(await client.sync()).toMatchObject({ kind: "done", synced: 5 });
    expect(net.syncBodies().map((b) => b.variables.tillState)).toEqual([
      { unsentCount: 3, lowestReceipt: 3, highestReceipt: 5 },
      { unsentCount: 1, lowestReceipt: 5, highestReceipt: 5 },
      { unsentCount: 0, lowestReceipt: null, highestReceipt: null },
    ]);
    expect(await tillOf(shop, paired)).toMatchObject({ highestReceipt: 5, unsentCount: 0, receiptGaps: [] });
    await client.dispose();
  });

  it("shows a discarded sale's number as missing and a refused one's as rejected, at the first sync after", async () => {
    const shop = await t.seed();
    const { paired, client } = await pairedClient(shop);
    await sell(client, shop);
    const discarded = await sell(client, shop);
    await client.recordSale({ items: [{ productId: shop.otherShop.productId, quantity: 1, price: 1 }] });
    await sell(client, shop);
    await client.discard(discarded.clientTempId);
    expect(await client.sync()).toMatchObject({ kind: "done", synced: 2, failed: 1 });
    expect((await tillOf(shop, paired)).receiptGaps).toEqual([
      { from: 2, to: 2, status: "MISSING" },
      { from: 3, to: 3, status: "REJECTED" },
    ]);
    await client.dispose();
  });

  it("sends no receipt number and no report without the till option, as before", async () => {
    const shop = await t.seed();
    const paired = await pairedTillAnswer(t, shop);
    const net = loggingFetch();
    const client = authClient(t, shop.shopId, { storage: new MemoryStorage(), credential: paired, fetch: net.fetch });
    await client.ready;
    await sell(client, shop);
    expect(await client.sync()).toMatchObject({ kind: "done", synced: 1 });
    const [body] = net.syncBodies();
    expect(body.variables.tillState).toBeUndefined();
    expect(body.variables.sales[0]).not.toHaveProperty("receiptNumber");
    await client.dispose();
  });
});
