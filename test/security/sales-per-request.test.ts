import type { SeededShops } from "../../server/src/demo/seed";
import { shopTotals } from "../support/database";
import { type OfflineSale, saleOf } from "../support/sales";
import { type TestServer, startTestServer } from "../support/test-server";
import { authHeaders } from "../support/transports";

/**
 * Issue 14 #5: MAX_SALES_PER_REQUEST holds per HTTP request, however many syncOfflineSales fields
 * (aliases, fragments, inline lists) the one GraphQL operation carries. The whole request is
 * refused before any resolver runs, so nothing of it is written.
 */
let t: TestServer;
let shop: SeededShops;
beforeAll(async () => {
  t = await startTestServer();
  shop = await t.seed();
});
afterAll(async () => {
  await t.close();
});

const FIELDS = "synced { clientTempId status } errors { clientTempId error }";
const sales = (n: number): OfflineSale[] => Array.from({ length: n }, () => saleOf(shop));

async function post(query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${t.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...authHeaders(shop.tokens.cashier, shop.shopId) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as { data?: Record<string, { synced: unknown[] }> | null; errors?: { message: string; extensions?: { code?: string } }[] } };
}

/** `count` aliases of syncOfflineSales, each with its own variable $s<i>. */
function aliased(count: number): string {
  const vars = Array.from({ length: count }, (_, i) => `$s${i}: [OfflineSaleInput!]!`).join(", ");
  const fields = Array.from({ length: count }, (_, i) => `a${i}: syncOfflineSales(sales: $s${i}) { ${FIELDS} }`).join("\n");
  return `mutation(${vars}) {\n${fields}\n}`;
}

async function expectRefused(answer: Awaited<ReturnType<typeof post>>, total: number, before: Awaited<ReturnType<typeof shopTotals>>) {
  expect(answer.status).toBe(413);
  expect(answer.body.errors?.[0]).toMatchObject({
    message: expect.stringContaining(`sales: at most ${t.config.maxSalesPerRequest} sales per request, got ${total}`),
    extensions: { code: "PAYLOAD_TOO_LARGE" },
  });
  expect(answer.body.data ?? null).toBeNull();
  expect(await shopTotals(t.dataSource, shop.shopId)).toEqual(before);
}

describe("MAX_SALES_PER_REQUEST across a whole GraphQL request (issue 14 #5)", () => {
  it("refuses 20 aliases of syncOfflineSales with 1,000 sales each with 413 PAYLOAD_TOO_LARGE and writes nothing", async () => {
    const before = await shopTotals(t.dataSource, shop.shopId);
    const variables = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`s${i}`, sales(1000)]));
    await expectRefused(await post(aliased(20), variables), 20_000, before);
  });

  it("counts the sales of every field together: two aliases of 600 are refused, two of 500 are synced", async () => {
    const before = await shopTotals(t.dataSource, shop.shopId);
    await expectRefused(await post(aliased(2), { s0: sales(600), s1: sales(600) }), 1200, before);
    const ok = await post(aliased(2), { s0: sales(500), s1: sales(500) });
    expect(ok.status).toBe(200);
    expect(ok.body.data?.a0.synced).toHaveLength(500);
    expect(ok.body.data?.a1.synced).toHaveLength(500);
  });

  it("counts sales written inline, in fragments and in a variable's default value", async () => {
    const before = await shopTotals(t.dataSource, shop.shopId);
    const max = t.config.maxSalesPerRequest;
    const literal = (sale: OfflineSale) => JSON.stringify(sale).replace(/"(\w+)":/g, "$1:");
    const inline = (n: number) => `[${sales(n).map(literal).join(",")}]`;
    const query = `mutation($s: [OfflineSaleInput!]! = ${inline(2)}, $big: [OfflineSaleInput!]!) {
      a: syncOfflineSales(sales: $s) { ${FIELDS} }
      b: syncOfflineSales(sales: ${inline(1)}) { ${FIELDS} }
      c: syncOfflineSales(sales: ${literal(saleOf(shop))}) { ${FIELDS} }
      ...more
      ... on Mutation { e: syncOfflineSales(sales: $big) { ${FIELDS} } }
    }
    fragment more on Mutation { d: syncOfflineSales(sales: $big) { ${FIELDS} } }`;
    // 2 from the default, 1 inline, 1 object (coerced to a list of one), then $big twice: one over the limit.
    const big = (max - 4) / 2 + 1;
    await expectRefused(await post(query, { big: sales(big) }), 4 + 2 * big, before);
  });
});
