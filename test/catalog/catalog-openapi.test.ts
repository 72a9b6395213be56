import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { SeededShops } from "../../server/src/demo/seed";
import { type TestServer, startTestServer } from "../support/test-server";
import { authHeaders } from "../support/transports";
import { archiveProduct, ownerHeaders } from "./catalog-support";

/** Real answers of GET /api/pos/catalog are what the committed OpenAPI document says, objects closed. */
type Document = { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, unknown> }>> };
const COMMITTED = readFileSync(resolve(__dirname, "../../openapi.json"), "utf8");
const PATH = "/api/pos/catalog";

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
ajv.addVocabulary(Object.keys(doc));
ajv.addSchema(closed(doc) as object, "openapi.json");
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");

let t: TestServer;
let shop: SeededShops;
beforeAll(async () => {
  t = await startTestServer();
  shop = await t.seed();
});
afterAll(async () => {
  await t.close();
});

async function expectDocumented(query: string, headers: Record<string, string>, status: number): Promise<unknown> {
  const res = await fetch(`${t.url}${PATH}${query}`, { headers });
  const body: unknown = await res.json();
  expect(res.status).toBe(status);
  const validate = ajv.getSchema(`openapi.json#/${pointer("paths", PATH, "get", "responses", String(status), "content", "application/json", "schema")}`) as ValidateFunction;
  validate(body);
  expect({ body, errors: validate.errors ?? [] }).toEqual({ body, errors: [] });
  return body;
}

describe("GET /api/pos/catalog in the OpenAPI document", () => {
  it("documents the query's since and limit", () => {
    const params = doc.paths[PATH].get.parameters ?? [];
    expect(params.filter((p) => p.in === "query").map((p) => p.name).sort()).toEqual(["limit", "since"]);
  });

  it("documents a full page, a delta with a tombstone, 400 for a bad limit and cursor, 401 and 403", async () => {
    const first = (await expectDocumented("?limit=2", ownerHeaders(shop), 200)) as { cursor: string };
    await archiveProduct(t, ownerHeaders(shop), shop.products[0].id);
    await expectDocumented(`?since=${first.cursor}`, ownerHeaders(shop), 200);
    await expectDocumented("?limit=0", ownerHeaders(shop), 400);
    await expectDocumented("?since=forged", ownerHeaders(shop), 400);
    await expectDocumented("", authHeaders("nope", shop.shopId), 401);
    await expectDocumented("", authHeaders(shop.otherShop.tokens.cashier, shop.shopId), 403);
  });
});
