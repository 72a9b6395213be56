import type { SeededShops } from "../../server/src/demo/seed";
import type { TestServer } from "../support/test-server";
import { type Headers, authHeaders, gql } from "../support/transports";

/** Helpers for issue 12's tests: the catalogue feed over both transports, in one shape. */
export type FeedProduct = { id: string; name: string; sku: string; price: number; stock: number; lowStockThreshold: number; archivedAt: string | null };
export type FeedCustomer = { id: string; name: string; email: string | null; phone: string | null };
export type FeedPage = {
  status: number;
  products: FeedProduct[];
  customers: FeedCustomer[];
  archived: { id: string; kind: "PRODUCT" | "CUSTOMER" }[];
  cursor: string;
  hasMore: boolean;
  bytes: number;
  failure?: { message: string; code?: string };
};
export type FeedTransport = { name: "rest" | "graphql"; pull(url: string, headers: Headers, since?: string | null, limit?: number): Promise<FeedPage> };

const EMPTY = { products: [], customers: [], archived: [], cursor: "", hasMore: false };

export const restFeed: FeedTransport = {
  name: "rest",
  async pull(url, headers, since, limit) {
    const query = new URLSearchParams();
    if (since != null) query.set("since", since);
    if (limit !== undefined) query.set("limit", String(limit));
    const res = await fetch(`${url}/api/pos/catalog?${query}`, { headers });
    const text = await res.text();
    const body = JSON.parse(text) as Partial<FeedPage> & { error?: string; code?: string };
    const failure = body.error ? { message: body.error, code: body.code } : undefined;
    return { ...EMPTY, ...body, status: res.status, bytes: Buffer.byteLength(text), failure } as FeedPage;
  },
};

export const CATALOG_QUERY = `query Catalog($since: String, $first: Int) {
  catalogChanges(since: $since, first: $first) {
    products { id name sku price stock lowStockThreshold archivedAt }
    customers { id name email phone }
    archived { id kind }
    cursor hasMore
  }
}`;

export const graphqlFeed: FeedTransport = {
  name: "graphql",
  async pull(url, headers, since, limit) {
    const variables: Record<string, unknown> = { since: since ?? null };
    if (limit !== undefined) variables.first = limit;
    const res = await gql<{ catalogChanges: Omit<FeedPage, "status" | "bytes"> }>(url, headers, CATALOG_QUERY, variables);
    const failure = res.errors?.length ? { message: res.errors[0].message, code: res.errors[0].extensions?.code } : undefined;
    const page = res.data?.catalogChanges ?? EMPTY;
    return { ...page, status: res.status, bytes: Buffer.byteLength(JSON.stringify(res.data ?? {})), failure };
  },
};

export const FEEDS: FeedTransport[] = [restFeed, graphqlFeed];

/** Every page from `since` until hasMore is false (bounded: a feed that never ends fails the test). */
export async function pullAll(feed: FeedTransport, url: string, headers: Headers, since?: string | null, limit?: number) {
  const pages: FeedPage[] = [];
  let cursor = since ?? null;
  for (let i = 0; i < 1000; i++) {
    const page = await feed.pull(url, headers, cursor, limit);
    if (page.status !== 200) throw new Error(`catalogue page failed: ${page.status} ${JSON.stringify(page.failure)}`);
    pages.push(page);
    cursor = page.cursor;
    if (!page.hasMore) return { pages, cursor, products: pages.flatMap((p) => p.products), customers: pages.flatMap((p) => p.customers), archived: pages.flatMap((p) => p.archived) };
  }
  throw new Error("the catalogue feed did not end within 1000 pages");
}

export function ownerHeaders(shop: SeededShops): Headers {
  return authHeaders(shop.tokens.owner, shop.shopId);
}

export async function updateProduct(t: TestServer, headers: Headers, id: string, changes: { price?: number; name?: string; lowStockThreshold?: number }) {
  const res = await gql<{ updateProduct: { id: string; price: number; priceHistory: { price: number; validFrom: string }[] } }>(
    t.url,
    headers,
    `mutation($id: ID!, $price: Float, $name: String, $lowStockThreshold: Int) {
       updateProduct(id: $id, price: $price, name: $name, lowStockThreshold: $lowStockThreshold) { id price priceHistory { price validFrom } } }`,
    { id, ...changes },
  );
  if (res.errors?.length) throw new Error(`updateProduct failed: ${res.errors[0].message}`);
  return res.data!.updateProduct;
}

export async function archiveProduct(t: TestServer, headers: Headers, id: string) {
  return gql<{ archiveProduct: { id: string; archivedAt: string | null } }>(t.url, headers, `mutation($id: ID!) { archiveProduct(id: $id) { id archivedAt } }`, { id });
}
