import { randomUUID } from "node:crypto";
import fc from "fast-check";
import type { SeededShops } from "../../server/src/demo/seed";
import { countRows, stockOf } from "../support/database";
import { saleOf } from "../support/sales";
import { type TestServer, startTestServer } from "../support/test-server";
import { authHeaders, rest } from "../support/transports";
import { type Hostile, hostileValue, runs, withHostileAt } from "./hostile-arbitraries";

/**
 * Every GraphQL operation besides the sync, every argument, hostile values: the answer is never a
 * 5xx nor INTERNAL_SERVER_ERROR, a refusal names the argument, and a refused mutation writes
 * nothing. The cases of issue 14 #8 first, then the property over all of them.
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

type GqlError = { message: string; extensions?: { code?: string } };
type Answer = { status: number; data: Record<string, unknown> | null; errors: GqlError[] };

/** Sends the variables as JSON text, so values JSON.stringify cannot write (1e999, -0) arrive as written. */
async function send(query: string, variablesText: string, headers = authHeaders(shop.tokens.owner, shop.shopId)): Promise<Answer> {
  const res = await fetch(`${t.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: `{"query":${JSON.stringify(query)},"variables":${variablesText}}`,
  });
  const text = await res.text();
  const body = JSON.parse(text) as { data?: Record<string, unknown> | null; errors?: GqlError[] };
  return { status: res.status, data: body.data ?? null, errors: body.errors ?? [] };
}

const writes = async () => ({
  products: await countRows(t.dataSource, "products", shop.shopId),
  customers: await countRows(t.dataSource, "customers", shop.shopId),
  movements: await countRows(t.dataSource, "stock_movements", shop.shopId),
  read: await countRows(t.dataSource, "notifications", shop.shopId, "read_at IS NOT NULL"),
});

const REFUSALS = /^(BAD_USER_INPUT|BAD_REQUEST|NOT_FOUND|CONFLICT)$/;

/** What must hold whatever was sent: no 5xx, no internal error, a refusal naming `field`, no write when refused. */
async function sendSoundly(query: string, variablesText: string, field: string): Promise<Answer> {
  const before = await writes();
  const answer = await send(query, variablesText);
  expect(answer.status).toBeLessThan(500);
  for (const error of answer.errors) {
    expect({ code: error.extensions?.code, message: error.message }).toEqual({ code: expect.stringMatching(REFUSALS), message: expect.any(String) });
    if (error.extensions?.code === "BAD_USER_INPUT" || error.extensions?.code === "BAD_REQUEST") expect(error.message).toContain(field);
  }
  if (answer.errors.length > 0) expect(await writes()).toEqual(before);
  return answer;
}

type Operation = { query: string; valid: () => Record<string, unknown>; paths: string[] };

const OPERATIONS: Record<string, Operation> = {
  createProduct: {
    query: "mutation($input: CreateProductInput!) { createProduct(input: $input) { id price stock } }",
    valid: () => ({ input: { name: "Tea", sku: `TEA-${randomUUID()}`, price: 3.5, stock: 2, lowStockThreshold: 1 } }),
    paths: ["input", "input.name", "input.sku", "input.price", "input.stock", "input.lowStockThreshold"],
  },
  createCustomer: {
    query: "mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }",
    valid: () => ({ input: { name: "Bo", email: "bo@example.com" } }),
    paths: ["input", "input.name", "input.email"],
  },
  adjustInventory: {
    query: "mutation($productId: ID!, $delta: Int!, $reason: String!) { adjustInventory(productId: $productId, delta: $delta, reason: $reason) { id stock } }",
    valid: () => ({ productId: shop.products[3].id, delta: 1, reason: "delivery" }),
    paths: ["productId", "delta", "reason"],
  },
  markNotificationRead: {
    query: "mutation($id: ID!) { markNotificationRead(id: $id) { id } }",
    valid: () => ({ id: randomUUID() }),
    paths: ["id"],
  },
  products: { query: "query($search: String) { products(search: $search) { id } }", valid: () => ({ search: "mug" }), paths: ["search"] },
  product: { query: "query($id: ID!) { product(id: $id) { id } }", valid: () => ({ id: shop.products[0].id }), paths: ["id"] },
  sale: { query: "query($id: ID!) { sale(id: $id) { id } }", valid: () => ({ id: randomUUID() }), paths: ["id"] },
  sales: {
    query: "query($first: Int, $after: String) { sales(first: $first, after: $after) { items { id } nextCursor } }",
    valid: () => ({ first: 5, after: null }),
    paths: ["first", "after"],
  },
  notifications: { query: "query($unreadOnly: Boolean) { notifications(unreadOnly: $unreadOnly) { id } }", valid: () => ({ unreadOnly: true }), paths: ["unreadOnly"] },
};

const cursorOf = (soldAt: string) => Buffer.from(JSON.stringify([soldAt, randomUUID()])).toString("base64url");
const leafOf = (path: string) => path.split(".").pop()!;

describe("inputs that answered INTERNAL_SERVER_ERROR (issue 14 #8)", () => {
  const P = OPERATIONS.createProduct;
  const C = OPERATIONS.createCustomer;
  const A = OPERATIONS.adjustInventory;
  const product = (input: Record<string, unknown>) => JSON.stringify({ input: { ...(P.valid().input as object), ...input } });
  const customer = (input: Record<string, unknown>) => JSON.stringify({ input: { ...(C.valid().input as object), ...input } });

  it.each([
    ["a NUL byte in createProduct name", P.query, () => product({ name: "Te\u0000a" }), "name"],
    ["a NUL byte in createProduct sku", P.query, () => product({ sku: "TEA\u00001" }), "sku"],
    ["a NUL byte in createCustomer name", C.query, () => customer({ name: "B\u0000o" }), "name"],
    ["a NUL byte in createCustomer email", C.query, () => customer({ email: "bo\u0000@example.com" }), "email"],
    ["a NUL byte in adjustInventory reason", A.query, () => JSON.stringify({ ...A.valid(), reason: "count\u0000" }), "reason"],
    ["a NUL byte in products(search)", OPERATIONS.products.query, () => JSON.stringify({ search: "mu\u0000g" }), "search"],
    ["createProduct price 1e308", P.query, () => product({}).replace('"price":3.5', '"price":1e308'), "price"],
    ["createProduct price 1e20", P.query, () => product({}).replace('"price":3.5', '"price":1e20'), "price"],
  ])("answers %s with BAD_USER_INPUT naming the field and writes nothing", async (_what, query, variables, field) => {
    const answer = await sendSoundly(query, variables(), field);
    expect(answer.errors).toEqual([expect.objectContaining({ message: expect.stringContaining(field), extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }) })]);
  });

  it.each([
    ["a date JavaScript reads but PostgreSQL refuses", "1"],
    ["a date with a comment in it", "2024-01-01 (x)"],
    ["a year past 9999", "+275760-09-13T00:00:00.000Z"],
    ["an impossible calendar date (issue 14 #9)", "2024-02-30T10:00:00.000Z"],
  ])("answers a sales(after:) cursor holding %s with a 400 naming after", async (_what, soldAt) => {
    const answer = await sendSoundly(OPERATIONS.sales.query, JSON.stringify({ first: 5, after: cursorOf(soldAt) }), "after");
    expect(answer.status).toBe(400);
    expect(answer.errors).toEqual([expect.objectContaining({ message: expect.stringContaining("after"), extensions: expect.objectContaining({ code: "BAD_REQUEST" }) })]);
  });

  it("answers adjustInventory(+1) at stock 2147483647 with BAD_USER_INPUT naming delta, leaving stock and ledger alone", async () => {
    const created = await send(P.query, product({ stock: 2147483647 }));
    const id = (created.data?.createProduct as { id: string }).id;
    const movements = await countRows(t.dataSource, "stock_movements", shop.shopId);
    const answer = await sendSoundly(A.query, JSON.stringify({ productId: id, delta: 1, reason: "count" }), "delta");
    expect(answer.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }) })]);
    expect(await stockOf(t.dataSource, shop.shopId, id)).toBe(2147483647);
    expect(await countRows(t.dataSource, "stock_movements", shop.shopId)).toBe(movements);
  });

  it("answers adjustInventory(-1000000) past -2^31 with BAD_USER_INPUT naming delta", async () => {
    const own = await t.seed();
    const p = own.products[0];
    const lines = (n: number) => Array.from({ length: n }, () => ({ productId: p.id, quantity: 100_000, price: 0 }));
    const filled = await rest.sync(t.url, authHeaders(own.tokens.cashier, own.shopId), [
      ...Array.from({ length: 42 }, () => saleOf(own, { items: lines(500), totalAmount: 0 })),
      saleOf(own, { items: lines(474), totalAmount: 0 }),
    ]);
    expect(filled.synced).toHaveLength(43);
    const stock = await stockOf(t.dataSource, own.shopId, p.id);
    expect(stock - 1_000_000).toBeLessThan(-(2 ** 31));
    const answer = await send(A.query, JSON.stringify({ productId: p.id, delta: -1_000_000, reason: "count" }), authHeaders(own.tokens.owner, own.shopId));
    expect(answer.status).toBeLessThan(500);
    expect(answer.errors).toEqual([expect.objectContaining({ message: expect.stringContaining("delta"), extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }) })]);
    expect(await stockOf(t.dataSource, own.shopId, p.id)).toBe(stock);
  });

  it("answers a subscription document with a 400 naming subscriptions", async () => {
    const answer = await send("subscription { products { id } }", "{}");
    expect(answer.status).toBe(400);
    expect(answer.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/subscription/i), extensions: expect.objectContaining({ code: "GRAPHQL_VALIDATION_FAILED" }) })]);
  });
});

/** What the operations' arguments are most likely to choke on, beside the generic hostile values. */
const operationHostile: fc.Arbitrary<Hostile> = fc.oneof(
  hostileValue,
  fc.constantFrom("\u0000", "a\u0000b", "\ud800x", "   ", "", "%_\\", "x".repeat(10_000)).map((s) => ({ kind: "text", text: JSON.stringify(s) })),
  fc.constantFrom("1e308", "1e20", "10000000.01", "2147483647", "-2147483648", "2147483648", "-1000000", "1000001", "0.001").map((text) => ({ kind: "number", text })),
  fc.constantFrom("1", "2024-01-01 (x)", "+275760-09-13T00:00:00.000Z", "2024-02-30T10:00:00.000Z", "0000-01-01T00:00:00.000Z").map((d) => ({ kind: "cursor", text: JSON.stringify(cursorOf(d)) })),
);

describe("every operation and every argument, hostile values (issue 14 #8)", () => {
  const EVERY: Hostile[] = [
    { kind: "missing" },
    ...["null", '"\\u0000"', '""', "1e308", "-1", "2147483648", "{}", "[]", "true"].map((text) => ({ kind: "fixed", text })),
  ];
  const table = Object.entries(OPERATIONS).flatMap(([name, op]) => op.paths.flatMap((path) => EVERY.map((hostile) => ({ name, path, hostile }))));

  it("answers each argument missing, null, NUL, empty, huge, negative, past int32, an object, a list and a boolean without an internal error", async () => {
    for (const { name, path, hostile } of table) {
      const op = OPERATIONS[name];
      await sendSoundly(op.query, withHostileAt(op.valid(), path, hostile), leafOf(path));
    }
  });

  it("never answers a 5xx or INTERNAL_SERVER_ERROR, names the argument it refuses, and writes nothing it refuses", async () => {
    const cases = Object.entries(OPERATIONS).flatMap(([name, op]) => op.paths.map((path) => ({ name, path })));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...cases), operationHostile, async ({ name, path }, hostile) => {
        const op = OPERATIONS[name];
        await sendSoundly(op.query, withHostileAt(op.valid(), path, hostile), leafOf(path));
      }),
      runs(150),
    );
  });
});
