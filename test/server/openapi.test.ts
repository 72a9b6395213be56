import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { openApiJson } from "../../server/src/api/rest/openapi";
import { lockProduct, terminateBackend } from "../support/locks";
import { holdRequest } from "../support/raw-http";
import { saleOf } from "../support/sales";
import { type TestServer, startTestServer, usingRealPostgres } from "../support/test-server";
import { type Headers, authHeaders } from "../support/transports";

/**
 * The REST contract document: the committed file is what `npm run openapi` writes today, and real
 * answers of the sync route, through the real HTTP server, are what it says (status, media type,
 * body, required headers). Objects are validated closed, so a field the document does not name fails.
 */
type HeaderSpec = { required?: boolean; schema: object };
type ResponseSpec = { headers?: Record<string, HeaderSpec>; content?: Record<string, { schema: object }> };
type Document = { paths: Record<string, Record<string, { responses: Record<string, ResponseSpec> }>> };

const COMMITTED = readFileSync(resolve(__dirname, "../../openapi.json"), "utf8");
const SYNC_PATH = "/api/pos/sync";

/** The document with every object closed (additionalProperties: false) where it does not say. */
function closed<T>(node: T): T {
  if (Array.isArray(node)) return node.map(closed) as T;
  if (node === null || typeof node !== "object") return node;
  const copy = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, closed(v)])) as Record<string, unknown>;
  if (copy.type === "object" && copy.properties && !("additionalProperties" in copy)) copy.additionalProperties = false;
  return copy as T;
}

const doc = JSON.parse(COMMITTED) as Document;
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
// The document's own top-level fields (openapi, info, paths, components...) are not schema keywords.
ajv.addVocabulary(Object.keys(doc));
ajv.addSchema(closed(doc) as object, "openapi.json");

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");

type Answer = { status: number; headers: globalThis.Headers; body: unknown };

async function post(url: string, body: string, headers: Headers, contentType = "application/json"): Promise<Answer> {
  const res = await fetch(`${url}${SYNC_PATH}`, { method: "POST", headers: { "content-type": contentType, ...headers }, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: JSON.parse(text) };
}

const sync = (url: string, headers: Headers, sales: unknown) => post(url, JSON.stringify({ sales }), headers);

/** The answer is one the document describes for POST /api/pos/sync: status, media type, body and required headers. */
const bodyValidator = (status: number, mediaType = "application/json") =>
  ajv.getSchema(`openapi.json#/${pointer("paths", SYNC_PATH, "post", "responses", String(status), "content", mediaType, "schema")}`) as ValidateFunction;

function expectDocumented(answer: Answer, status: number): void {
  expect(answer.status).toBe(status);
  const spec = doc.paths[SYNC_PATH].post.responses[String(status)];
  expect(spec).toBeDefined();
  const mediaType = (answer.headers.get("content-type") ?? "").split(";")[0].trim();
  expect(Object.keys(spec.content ?? {})).toContain(mediaType);
  const validate = bodyValidator(status, mediaType);
  validate(answer.body);
  expect({ body: answer.body, errors: validate.errors ?? [] }).toEqual({ body: answer.body, errors: [] });
  for (const [name, header] of Object.entries(spec.headers ?? {})) {
    const value = answer.headers.get(name);
    if (header.required) expect({ header: name, value }).toEqual({ header: name, value: expect.any(String) });
    if (value !== null && (header.schema as { type?: string }).type === "integer") expect(Number.isInteger(Number(value))).toBe(true);
  }
}

describe("openapi.json", () => {
  it("matches the document generated from the zod schemas (run `npm run openapi` when this fails)", () => {
    expect(COMMITTED).toBe(openApiJson());
  });

  it("documents every status the sync route answers, each with a JSON body", () => {
    const responses = doc.paths[SYNC_PATH].post.responses;
    expect(Object.keys(responses).sort()).toEqual(["200", "400", "401", "403", "413", "415", "429", "500", "503"]);
    for (const spec of Object.values(responses)) expect(Object.keys(spec.content ?? {})).toEqual(["application/json"]);
  });

  it("refuses bodies it does not describe: an undocumented field, a wrong code, a missing field", () => {
    const synced = { clientTempId: "a", serverId: "5e5e0000-0000-4000-8000-000000000001", orderId: "ORD-K7Q2MX-R4T", status: "created", warnings: [] };
    expect(bodyValidator(200)({ synced: [synced], errors: [] })).toBe(true);
    expect(bodyValidator(200)({ synced: [{ ...synced, kind: "synced" }], errors: [] })).toBe(false);
    expect(bodyValidator(200)({ synced: [{ ...synced, status: "CREATED" }], errors: [] })).toBe(false);
    expect(bodyValidator(200)({ synced: [] })).toBe(false);
    expect(bodyValidator(400)({ error: "x", code: "BAD_REQUEST" })).toBe(true);
    expect(bodyValidator(400)({ error: "x", code: "FORBIDDEN" })).toBe(false);
  });
});

describe("the sync route's answers match openapi.json", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ MAX_SALES_PER_REQUEST: "3", MAX_BODY_BYTES: "4096" });
  });
  afterAll(async () => {
    await t.close();
  });

  it("documents a created sale, with a warning, and its replay as existing", async () => {
    const shop = await t.seed();
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    const sale = saleOf(shop, { customerId: "00000000-0000-4000-8000-00000000dead" });
    const created = await sync(t.url, headers, [sale]);
    expectDocumented(created, 200);
    expect(created.body).toMatchObject({ synced: [{ status: "created", warnings: [expect.stringContaining("not found")] }], errors: [] });
    const existing = await sync(t.url, headers, [sale]);
    expectDocumented(existing, 200);
    expect(existing.body).toMatchObject({ synced: [{ status: "existing" }], errors: [] });
  });

  it("documents per-sale errors: an invalid sale, an unknown product, a sale that is not an object", async () => {
    const shop = await t.seed();
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    const invalid = saleOf(shop, { items: [{ productId: shop.products[0].id, quantity: 0, price: 1 }] });
    const unknownProduct = saleOf(shop, { items: [{ productId: "00000000-0000-4000-8000-00000000beef", quantity: 1, price: 1 }], totalAmount: 1 });
    const answer = await sync(t.url, headers, [invalid, unknownProduct, 42]);
    expectDocumented(answer, 200);
    expect(answer.body).toEqual({
      synced: [],
      errors: [
        { clientTempId: invalid.clientTempId, error: expect.stringContaining("items[0].quantity"), retryable: false },
        { clientTempId: unknownProduct.clientTempId, error: expect.any(String), retryable: false },
        { clientTempId: "", error: expect.any(String), retryable: false },
      ],
    });
  });

  it("documents 400 for a body that is not JSON, not the expected shape, or a missing or malformed x-shop-id", async () => {
    const shop = await t.seed();
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    const answers = [
      await post(t.url, '{"sales": [', headers),
      await post(t.url, "[]", headers),
      await post(t.url, '{"sale": []}', headers),
      await post(t.url, '{"sales": {}}', headers),
      await post(t.url, JSON.stringify({ sales: [] }), headers, "text/plain"),
      await sync(t.url, authHeaders(shop.tokens.cashier, undefined), [saleOf(shop)]),
      await sync(t.url, authHeaders(shop.tokens.cashier, "shop-1"), [saleOf(shop)]),
    ];
    for (const answer of answers) expectDocumented(answer, 400);
    expect(answers.map((a) => (a.body as { code: string }).code)).toEqual(Array(answers.length).fill("BAD_REQUEST"));
  });

  it("documents 401 for a missing, malformed or invalid token", async () => {
    const shop = await t.seed();
    for (const headers of [authHeaders(undefined, shop.shopId), { authorization: "Basic abc", "x-shop-id": shop.shopId }, authHeaders("garbage", shop.shopId)]) {
      expectDocumented(await sync(t.url, headers, [saleOf(shop)]), 401);
    }
  });

  it("documents 403 for another shop and for a role without sales:create", async () => {
    const shop = await t.seed();
    expectDocumented(await sync(t.url, authHeaders(shop.tokens.cashier, shop.otherShop.shopId), [saleOf(shop)]), 403);
    expectDocumented(await sync(t.url, authHeaders(shop.tokens.viewer, shop.shopId), [saleOf(shop)]), 403);
  });

  it("documents 413 for more sales than allowed and for a body over the byte limit", async () => {
    const shop = await t.seed();
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    expectDocumented(await sync(t.url, headers, [saleOf(shop), saleOf(shop), saleOf(shop), saleOf(shop)]), 413);
    expectDocumented(await post(t.url, JSON.stringify({ sales: [], padding: "x".repeat(5000) }), headers), 413);
  });

  it("documents 415 for a charset the JSON parser does not read", async () => {
    const shop = await t.seed();
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    expectDocumented(await post(t.url, JSON.stringify({ sales: [saleOf(shop)] }), headers, "application/json; charset=latin1"), 415);
  });

  it("serves the committed document at GET /api/openapi.json and the interactive reference at /api/docs", async () => {
    const served = await fetch(`${t.url}/api/openapi.json`);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await served.json()).toEqual(JSON.parse(COMMITTED));
    const docs = await fetch(`${t.url}/api/docs`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await docs.text()).toContain("/api/openapi.json");
  });

  (usingRealPostgres ? it : it.skip)("documents 503 when the database connection drops mid-sync (real PostgreSQL only)", async () => {
    const databaseUrl = process.env.TEST_DATABASE_URL ?? "";
    const shop = await t.seed();
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    const lock = await lockProduct(databaseUrl, shop.shopId, shop.products[0].id);
    const inFlight = sync(t.url, headers, [saleOf(shop)]);
    await terminateBackend(databaseUrl, await lock.waitForBlockedBackend());
    await lock.release();
    expectDocumented(await inFlight, 503);
  });
});

describe("the rate limiter's answer matches openapi.json", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ RATE_LIMIT_PER_TOKEN: "1", RATE_LIMIT_WINDOW_MS: "60000" });
  });
  afterAll(async () => {
    await t.close();
  });

  it("documents 429 with Retry-After once a token exceeds its limit", async () => {
    const shop = await t.seed();
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    expectDocumented(await sync(t.url, headers, [saleOf(shop)]), 200);
    const limited = await sync(t.url, headers, [saleOf(shop)]);
    expectDocumented(limited, 429);
    expect(limited.headers.get("ratelimit")).toEqual(expect.any(String));
  });
});

describe("the load shedder's answer matches openapi.json", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ SYNC_MAX_QUEUED_SALES: "1" });
  });
  afterAll(async () => {
    await t.close();
  });

  it("documents 429 OVERLOADED with Retry-After while the sync queue is full", async () => {
    const shop = await t.seed();
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    // A sync whose body is still arriving holds the one place of the queue.
    const held = await holdRequest(t.url, { method: "POST", path: SYNC_PATH, headers, body: { sales: [saleOf(shop)] } });
    let shed: Answer | undefined;
    for (let i = 0; i < 100 && shed?.status !== 429; i++) shed = await sync(t.url, headers, [saleOf(shop)]);
    await held.finishThen({ method: "GET", path: "/healthz", headers: { connection: "close" } });
    expectDocumented(shed!, 429);
    expect(shed!.body).toMatchObject({ code: "OVERLOADED" });
  });
});

describe("the API reference in production", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ NODE_ENV: "production", JWT_SECRET: "openapi-test-production-secret" });
  });
  afterAll(async () => {
    await t.close();
  });

  it("still serves /api/openapi.json but answers 404 at /api/docs", async () => {
    expect((await fetch(`${t.url}/api/openapi.json`)).status).toBe(200);
    const docs = await fetch(`${t.url}/api/docs`, { headers: { accept: "text/html" } });
    expect(docs.status).toBe(404);
  });
});
