import { randomUUID } from "node:crypto";
import type { ApolloServer } from "@apollo/server";
import pino from "pino";
import { loadConfig } from "../../server/src/config/config";
import type { GraphQLContext } from "../../server/src/api/graphql/context";
import { createApolloServer } from "../../server/src/api/graphql/apollo-server";
import { countRows } from "../support/database";
import { type OfflineSale, saleOf } from "../support/sales";
import { type TestServer, startTestServer } from "../support/test-server";
import { SYNC_MUTATION, authHeaders, graphql } from "../support/transports";

/**
 * What a GraphQL document may ask before it runs (depth, cost, aliases, tokens, one operation per
 * request), what production hides (introspection, Sandbox, suggestions, stack traces), CSRF
 * prevention, and proof that none of it gets in the way of the sync and the frontend's queries.
 */
const PRODUCTION = { NODE_ENV: "production", JWT_SECRET: "a-production-secret-of-length" };

let dev: TestServer;
let prod: TestServer;
beforeAll(async () => {
  [dev, prod] = await Promise.all([startTestServer(), startTestServer(PRODUCTION)]);
});
afterAll(async () => {
  await Promise.all([dev?.close(), prod?.close()]);
});

type Body = { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };

async function post(t: TestServer, body: unknown, headers: Record<string, string> = {}) {
  const shop = await t.seed();
  const res = await fetch(`${t.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...authHeaders(shop.tokens.owner, shop.shopId), ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Body, shop };
}

const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: customers { id }`).join(" ")} }`;
const ALL_SALE_FIELDS = `id orderId clientTempId totalAmount needsReview reviewReasons createdAt syncedAt
  customer { id name email } items { id quantity price discountPercent lineTotal product { id name sku price stock lowStockThreshold } }`;

describe("GraphQL limits at their defaults (config.graphqlLimits)", () => {
  it("refuses more aliases than GRAPHQL_MAX_ALIASES with a 400 naming the limit", async () => {
    const ok = await post(dev, { query: aliases(dev.config.graphqlLimits.maxAliases) });
    expect(ok.status).toBe(200);
    const res = await post(dev, { query: aliases(dev.config.graphqlLimits.maxAliases + 1) });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]).toMatchObject({
      message: expect.stringContaining(`Aliases limit of ${dev.config.graphqlLimits.maxAliases} exceeded`),
      extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
    });
  });

  it("refuses a query whose cost exceeds GRAPHQL_MAX_COST, counting a literal page size", async () => {
    const res = await post(dev, { query: `{ sales(first: 100000) { items { ${ALL_SALE_FIELDS} } } }` });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]).toMatchObject({
      message: expect.stringContaining(`Query Cost limit of ${dev.config.graphqlLimits.maxCost} exceeded`),
      extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
    });
  });

  it("accepts the largest page the API serves (200 sales, every field)", async () => {
    const res = await post(dev, { query: `{ sales(first: 200) { items { ${ALL_SALE_FIELDS} } nextCursor } }` });
    expect(res.body.errors).toBeUndefined();
    expect(res.status).toBe(200);
  });

  it("refuses a document of more than GRAPHQL_MAX_TOKENS tokens before parsing it whole", async () => {
    const query = `{ ${"__typename ".repeat(dev.config.graphqlLimits.maxTokens + 1)}}`;
    const res = await post(dev, { query });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]).toMatchObject({
      message: expect.stringContaining(`more that ${dev.config.graphqlLimits.maxTokens} tokens`),
      extensions: { code: "GRAPHQL_PARSE_FAILED" },
    });
  });

  it("refuses batched operations (a JSON array body) with 400 and runs none of them", async () => {
    const sale = saleOf(await dev.seed());
    const op = { query: SYNC_MUTATION, variables: { sales: [sale] } };
    const res = await post(dev, [op, op]);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0].message).toBe("Operation batching disabled.");
    expect(await countRows(dev.dataSource, "sales", res.shop.shopId)).toBe(0);
  });

  it("syncs 1000 sales of 3 items in one mutation: variables add no cost", async () => {
    const shop = await dev.seed();
    const [a, b, c] = shop.products;
    const sales: OfflineSale[] = Array.from({ length: 1000 }, () =>
      saleOf(shop, {
        items: [a, b, c].map((p) => ({ productId: p.id, quantity: 1, price: p.price, discountPercent: 0 })),
        totalAmount: Math.round((a.price + b.price + c.price) * 100) / 100,
      }),
    );
    const answer = await graphql.sync(dev.url, authHeaders(shop.tokens.cashier, shop.shopId), sales);
    expect(answer.failure).toBeUndefined();
    expect(answer.httpStatus).toBe(200);
    expect(answer.synced).toHaveLength(1000);
    expect(answer.errors).toEqual([]);
    expect(await countRows(dev.dataSource, "sale_items", shop.shopId)).toBe(3000);
  });
});

describe("GraphQL limits follow the configuration", () => {
  const TIGHT = { GRAPHQL_MAX_DEPTH: "3", GRAPHQL_MAX_ALIASES: "2", GRAPHQL_MAX_COST: "100", GRAPHQL_MAX_TOKENS: "200" };
  let apollo: ApolloServer<GraphQLContext>;
  beforeAll(async () => {
    apollo = await createApolloServer(loadConfig(TIGHT), pino({ level: "silent" }));
    await apollo.start();
  });
  afterAll(async () => {
    await apollo.stop();
  });

  /** Only validation is under test: no context, so an operation that passes it fails as UNAUTHENTICATED. */
  async function run(query: string, variables: Record<string, unknown> = {}) {
    const context = { requestId: "test", auth: null, loaders: null, services: {} } as unknown as GraphQLContext;
    const res = await apollo.executeOperation({ query, variables }, { contextValue: context });
    if (res.body.kind !== "single") throw new Error("expected a single result");
    return { status: res.http.status, errors: res.body.singleResult.errors ?? [] };
  }
  const codeOf = (r: { errors: readonly { extensions?: Record<string, unknown> }[] }) => r.errors[0]?.extensions?.code;

  it("refuses a query deeper than GRAPHQL_MAX_DEPTH and accepts one at the limit", async () => {
    expect(codeOf(await run("{ sale(id: \"x\") { items { id } } }"))).toBe("UNAUTHENTICATED");
    const deep = await run("{ sale(id: \"x\") { items { product { id } } } }");
    expect(codeOf(deep)).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(deep.errors[0].message).toMatch(/Query depth limit of 3 exceeded/);
  });

  it("refuses more aliases than GRAPHQL_MAX_ALIASES", async () => {
    const res = await run("{ a: customers { id } b: customers { id } c: customers { id } }");
    expect(res.errors[0].message).toMatch(/Aliases limit of 2 exceeded, found 3/);
  });

  it("refuses a query over GRAPHQL_MAX_COST", async () => {
    const res = await run("{ sales(first: 10) { items { id orderId totalAmount } } }");
    expect(res.errors[0].message).toMatch(/Query Cost limit of 100 exceeded/);
  });

  it("refuses a document over GRAPHQL_MAX_TOKENS", async () => {
    const res = await run(`{ ${"__typename ".repeat(201)}}`);
    expect(codeOf(res)).toBe("GRAPHQL_PARSE_FAILED");
  });

  it("does not count the sales list toward cost or tokens when it comes as variables", async () => {
    const sales = Array.from({ length: 1000 }, () => ({
      clientTempId: randomUUID(),
      items: [1, 2, 3].map(() => ({ productId: randomUUID(), quantity: 1, price: 1 })),
      totalAmount: 3,
      createdAt: "2024-01-15T10:30:00Z",
    }));
    expect(codeOf(await run(SYNC_MUTATION, { sales: sales.slice(0, 1) }))).toBe("UNAUTHENTICATED");
    expect(codeOf(await run(SYNC_MUTATION, { sales }))).toBe("UNAUTHENTICATED");
  });
});

describe("GraphQL in production", () => {
  it("refuses introspection", async () => {
    const res = await post(prod, { query: "{ __schema { types { name } } }" });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0].extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(JSON.stringify(res.body)).not.toContain("SyncOfflineSalesResult");
    const type = await post(prod, { query: '{ __type(name: "Sale") { fields { name } } }' });
    expect(type.status).toBe(400);
  });

  it("serves no Sandbox or landing page on GET /graphql", async () => {
    const res = await fetch(`${prod.url}/graphql`, { headers: { accept: "text/html" } });
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).not.toMatch(/html/);
    expect(text).not.toMatch(/sandbox|apollographql\.com|<html/i);
  });

  it("keeps Sandbox in development, to contrast", async () => {
    const res = await fetch(`${dev.url}/graphql`, { headers: { accept: "text/html" } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/sandbox/i);
  });

  it("answers errors without stack traces", async () => {
    for (const body of [{ query: "{ nope }" }, { query: "{" }, [{ query: "{ products { id } }" }], { query: 5 }]) {
      const res = await post(prod, body);
      expect(res.status).toBe(400);
      expect(res.body.errors?.length).toBeGreaterThan(0);
      expect(JSON.stringify(res.body)).not.toMatch(/stacktrace|\s+at\s|node_modules|\.ts:\d/);
    }
    const devRes = await post(dev, { query: "{ nope }" });
    expect(devRes.body.errors?.[0].extensions?.stacktrace).toBeDefined();
  });

  it("gives no field, argument or enum suggestions", async () => {
    const cases: [string, RegExp][] = [
      ["{ prodcts { id } }", /"products?"/],
      ["{ products { nme } }", /"name"/],
      ['{ products(serch: "x") { id } }', /"search"/],
      ['{ notifications { type(x: 1) } }', /Did you mean/],
    ];
    for (const [query, suggestion] of cases) {
      const res = await post(prod, { query });
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0].message).not.toMatch(/Did you mean/);
      expect(res.body.errors?.[0].message).not.toMatch(suggestion);
      expect(res.body.errors?.[0].message).toMatch(/Cannot query field|Unknown argument/);
    }
    const devRes = await post(dev, { query: "{ prodcts { id } }" });
    expect(devRes.body.errors?.[0].message).toMatch(/Did you mean "products"/);
  });

  it("still serves a valid request", async () => {
    const res = await post(prod, { query: "{ products { id } }" });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
  });
});

describe("CSRF prevention", () => {
  const MUTATION = `mutation { createCustomer(input: { name: "csrf" }) { id } }`;

  it.each([
    ["a GET mutation", "GET"],
    ["a GET query", "GET"],
  ])("refuses %s without apollo-require-preflight", async (_name, method) => {
    const shop = await dev.seed();
    const q = _name.includes("mutation") ? MUTATION : "{ customers { id } }";
    const res = await fetch(`${dev.url}/graphql?query=${encodeURIComponent(q)}`, {
      method,
      headers: authHeaders(shop.tokens.owner, shop.shopId),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Body).errors?.[0].message).toMatch(/Cross-Site Request Forgery/);
    expect(await countRows(dev.dataSource, "customers", shop.shopId)).toBe(1);
  });

  it.each(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])(
    "refuses a POST mutation sent as %s without apollo-require-preflight, writing nothing",
    async (contentType) => {
      const shop = await dev.seed();
      const res = await fetch(`${dev.url}/graphql`, {
        method: "POST",
        headers: { ...authHeaders(shop.tokens.owner, shop.shopId), "content-type": contentType },
        body: JSON.stringify({ query: MUTATION }),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as Body).errors?.[0].message).toMatch(/Cross-Site Request Forgery/);
      expect(await countRows(dev.dataSource, "customers", shop.shopId)).toBe(1);
    },
  );

  it("never runs a mutation over GET, even with the preflight header", async () => {
    const shop = await dev.seed();
    const res = await fetch(`${dev.url}/graphql?query=${encodeURIComponent(MUTATION)}`, {
      headers: { ...authHeaders(shop.tokens.owner, shop.shopId), "apollo-require-preflight": "1" },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Body).errors?.[0].message).toMatch(/only support query operations|POST request/);
    expect(await countRows(dev.dataSource, "customers", shop.shopId)).toBe(1);
  });

  it("accepts an application/json POST, which a browser must preflight", async () => {
    const res = await post(dev, { query: MUTATION });
    expect(res.status).toBe(200);
    expect(await countRows(dev.dataSource, "customers", res.shop.shopId)).toBe(2);
  });
});
