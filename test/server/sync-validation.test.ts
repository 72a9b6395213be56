import { countRows } from "../support/database";
import { type OfflineSale, saleOf } from "../support/sales";
import { type TestServer, startTestServer } from "../support/test-server";
import { TRANSPORTS, authHeaders } from "../support/transports";

/**
 * Every validation rule, each a per-sale error naming the field. A few values cannot even be
 * expressed in a GraphQL request (1.5 for an Int, a missing non-null field): there GraphQL itself
 * refuses the request, also naming the field, and nothing is written.
 */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

type Case = {
  rule: string;
  mutate: (sale: OfflineSale) => unknown;
  field: string;
  graphqlRejectsRequest?: boolean;
};

const CASES: Case[] = [
  { rule: "clientTempId must be a UUID", mutate: (s) => ({ ...s, clientTempId: "sale-1" }), field: "clientTempId must be a UUID" },
  { rule: "items must not be empty", mutate: (s) => ({ ...s, items: [] }), field: "items must contain at least 1 item" },
  {
    rule: "items must be at most 500",
    mutate: (s) => ({ ...s, items: Array.from({ length: 501 }, () => s.items[0]) }),
    field: "items must contain at most 500 items",
  },
  { rule: "quantity must be positive", mutate: (s) => ({ ...s, items: [{ ...s.items[0], quantity: 0 }] }), field: "items[0].quantity must be a positive integer" },
  { rule: "quantity must not be negative", mutate: (s) => ({ ...s, items: [{ ...s.items[0], quantity: -3 }] }), field: "items[0].quantity must be a positive integer" },
  {
    rule: "quantity must be an integer",
    mutate: (s) => ({ ...s, items: [{ ...s.items[0], quantity: 1.5 }] }),
    field: "items[0].quantity must be a positive integer",
    graphqlRejectsRequest: true,
  },
  { rule: "price must be >= 0", mutate: (s) => ({ ...s, items: [{ ...s.items[0], price: -1 }] }), field: "items[0].price must be >= 0" },
  { rule: "price has at most 2 decimals", mutate: (s) => ({ ...s, items: [{ ...s.items[0], price: 1.234 }] }), field: "items[0].price must have at most 2 decimals" },
  {
    rule: "a large price has at most 2 decimals too",
    mutate: (s) => ({ ...s, items: [{ ...s.items[0], price: 12345.671 }] }),
    field: "items[0].price must have at most 2 decimals",
  },
  {
    rule: "discountPercent is at most 100",
    mutate: (s) => ({ ...s, items: [{ ...s.items[0], discountPercent: 101 }] }),
    field: "items[0].discountPercent must be between 0 and 100",
  },
  {
    rule: "discountPercent is at least 0",
    mutate: (s) => ({ ...s, items: [{ ...s.items[0], discountPercent: -1 }] }),
    field: "items[0].discountPercent must be between 0 and 100",
  },
  { rule: "totalAmount must be >= 0", mutate: (s) => ({ ...s, totalAmount: -5 }), field: "totalAmount must be >= 0" },
  { rule: "createdAt must be a date-time", mutate: (s) => ({ ...s, createdAt: "yesterday" }), field: "createdAt must be an ISO-8601 instant" },
  { rule: "createdAt must carry a time zone", mutate: (s) => ({ ...s, createdAt: "2024-01-15T10:30:00" }), field: "createdAt must be an ISO-8601 instant" },
  { rule: "createdAt must be a real date", mutate: (s) => ({ ...s, createdAt: "2024-13-45T10:30:00Z" }), field: "createdAt must be an ISO-8601 instant" },
  {
    rule: "createdAt is an impossible calendar date such as 2024-02-30 (issue 14 #9)",
    mutate: (s) => ({ ...s, createdAt: "2024-02-30T10:00:00Z" }),
    field: "createdAt must be a real calendar date and time",
  },
  { rule: "createdAt is 2023-02-29, not a leap year (issue 14 #9)", mutate: (s) => ({ ...s, createdAt: "2023-02-29T10:00:00+01:00" }), field: "createdAt must be a real calendar date and time" },
  { rule: "createdAt is April 31st (issue 14 #9)", mutate: (s) => ({ ...s, createdAt: "2024-04-31T23:30:00-05:00" }), field: "createdAt must be a real calendar date and time" },
  { rule: "createdAt must be storable", mutate: (s) => ({ ...s, createdAt: "0000-01-01T00:00:00Z" }), field: "createdAt must be between 0001-01-01 and 9999-12-31" },
  {
    rule: "items are required",
    mutate: ({ items: _items, ...rest }) => rest,
    field: "items must be an array",
    graphqlRejectsRequest: true,
  },
];

describe.each(TRANSPORTS)("validation over $name", (transport) => {
  it.each(CASES)("rejects a sale when $rule, naming the field, and still syncs its neighbour", async ({ mutate, field, graphqlRejectsRequest }) => {
    const shop = await t.seed();
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    const bad = mutate(saleOf(shop)) as { clientTempId: string };
    const good = saleOf(shop);
    const answer = await transport.sync(t.url, headers, [bad, good]);
    if (transport.name === "graphql" && graphqlRejectsRequest) {
      expect(answer.httpStatus).toBe(400);
      expect(answer.failure?.message).toMatch(/items|quantity/);
      expect(await countRows(t.dataSource, "sales", shop.shopId)).toBe(0);
      return;
    }
    expect(answer.httpStatus).toBe(200);
    expect(answer.errors).toEqual([{ clientTempId: bad.clientTempId, error: expect.stringContaining(field), retryable: false }]);
    expect(answer.synced.map((s) => s.clientTempId)).toEqual([good.clientTempId]);
    expect(await countRows(t.dataSource, "sales", shop.shopId)).toBe(1);
    expect(await countRows(t.dataSource, "offline_sale_syncs", shop.shopId)).toBe(1);
  });

  it("accepts the boundaries: 500 items, discount 0 and 100, price 0, total 0", async () => {
    const shop = await t.seed();
    const p = shop.products[0];
    const many = saleOf(shop, { items: Array.from({ length: 500 }, () => ({ productId: p.id, quantity: 1, price: 0.01 })), totalAmount: 5 });
    const free = saleOf(shop, { items: [{ productId: p.id, quantity: 1, price: 0, discountPercent: 100 }], totalAmount: 0 });
    const answer = await transport.sync(t.url, authHeaders(shop.tokens.cashier, shop.shopId), [many, free]);
    expect(answer.errors).toEqual([]);
    expect(answer.synced).toHaveLength(2);
  });

  it("accepts real calendar dates at their edges: a leap day, the last of a month, an offset that crosses midnight (issue 14 #9)", async () => {
    const shop = await t.seed();
    const dates = ["2024-02-29T10:00:00Z", "2000-02-29T00:00:00Z", "2024-04-30T23:59:59.999-05:00", "2024-12-31T23:30:00-14:00"];
    const sales = dates.map((createdAt) => saleOf(shop, { createdAt }));
    const answer = await transport.sync(t.url, authHeaders(shop.tokens.cashier, shop.shopId), sales);
    expect(answer.errors).toEqual([]);
    expect(answer.synced).toHaveLength(dates.length);
  });

  it("refuses more than the configured number of sales per request with 413 and writes nothing", async () => {
    const shop = await t.seed();
    const sales = Array.from({ length: t.config.maxSalesPerRequest + 1 }, () => saleOf(shop));
    const answer = await transport.sync(t.url, authHeaders(shop.tokens.cashier, shop.shopId), sales);
    expect(answer.httpStatus).toBe(413);
    expect(answer.failure?.message).toContain(`at most ${t.config.maxSalesPerRequest} sales per request`);
    expect(await countRows(t.dataSource, "sales", shop.shopId)).toBe(0);
  });
});

describe("request bodies", () => {
  async function post(path: string, body: string, headers: Record<string, string>, contentType = "application/json") {
    const res = await fetch(`${t.url}${path}`, { method: "POST", headers: { "content-type": contentType, ...headers }, body });
    return { status: res.status, body: (await res.json()) as { error?: string; errors?: { message: string }[] } };
  }

  it.each(["/api/pos/sync", "/graphql"])("answers 413 for a body over the size limit on %s and writes nothing", async (path) => {
    const shop = await t.seed();
    const huge = JSON.stringify({ sales: [saleOf(shop)], padding: "x".repeat(t.config.maxBodyBytes + 1) });
    const res = await post(path, huge, authHeaders(shop.tokens.cashier, shop.shopId));
    expect(res.status).toBe(413);
    expect(await countRows(t.dataSource, "sales", shop.shopId)).toBe(0);
  });

  it.each([
    ["not JSON", "{sales: nope", "Request body is not valid JSON"],
    ["not an object", "[1,2,3]", 'Body must be a JSON object { "sales": [...] }'],
    ["missing sales", '{"sale": []}', 'Body must be a JSON object { "sales": [...] }'],
    ["sales not an array", '{"sales": "all of them"}', "sales must be an array"],
  ])("answers 400 on the REST shim when the body is %s", async (_label, body, message) => {
    const shop = await t.seed();
    const res = await post("/api/pos/sync", body, authHeaders(shop.tokens.cashier, shop.shopId));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe(message);
  });

  it("answers 400 on the REST shim when the body is not JSON at all", async () => {
    const shop = await t.seed();
    const res = await post("/api/pos/sync", "sales=1", authHeaders(shop.tokens.cashier, shop.shopId), "text/plain");
    expect(res.status).toBe(400);
  });
});
