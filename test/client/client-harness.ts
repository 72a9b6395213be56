import { issueToken } from "../../server/src/auth/tokens";
import { type PosClient, type PosClientOptions, ProductsDocument, SalesDocument, createPosClient } from "../../client/src";
import type { KeyValueStorage } from "../../client/src/storage/storage";
import type { TestServer } from "../support/test-server";

/**
 * A fetch the test can cut: `down()` makes every request reject as a dead network would, and
 * `loseNextSyncResponse()` lets the next sync request reach the server and then throws its answer
 * away, as a connection that drops after the server committed. Sync answers are recorded.
 */
export function controllableFetch() {
  let down = false;
  let loseNext = false;
  const syncAnswers: { synced: { clientTempId: string; status: string }[]; errors: { clientTempId: string; error: string }[] }[] = [];
  let syncRequests = 0;
  const fetchImpl: typeof fetch = async (input, init) => {
    if (down) throw new TypeError("fetch failed: network is down");
    const isSync = typeof init?.body === "string" && init.body.includes("syncOfflineSales");
    if (isSync) syncRequests++;
    const response = await fetch(input, init);
    if (isSync && response.ok) {
      const body = (await response.clone().json()) as { data?: { syncOfflineSales?: (typeof syncAnswers)[number] } };
      if (body.data?.syncOfflineSales) syncAnswers.push(body.data.syncOfflineSales);
    }
    if (isSync && loseNext) {
      loseNext = false;
      throw new TypeError("fetch failed: connection reset after the request was sent");
    }
    return response;
  };
  return {
    fetch: fetchImpl,
    down: () => void (down = true),
    up: () => void (down = false),
    loseNextSyncResponse: () => void (loseNext = true),
    syncAnswers,
    syncRequests: () => syncRequests,
  };
}

/** A client with every automatic trigger off, so the test decides when a sync happens. */
export function testClient(t: TestServer, shopId: string, options: Partial<PosClientOptions> & { storage: KeyValueStorage; token?: string }): PosClient {
  return createPosClient({
    uri: `${t.url}/graphql`,
    shopId,
    getToken: () => options.token,
    syncIntervalMs: 0,
    syncOnStart: false,
    syncAfterRecordMs: false,
    catalogIntervalMs: false,
    networkEvents: false,
    locks: null,
    ...options,
  });
}

/** What an online till does at start: load the products and the first page of sales into the cache. */
export async function warmCache(client: PosClient, first = 200): Promise<void> {
  await client.ready;
  await client.apollo.query({ query: ProductsDocument, fetchPolicy: "network-only" });
  await client.apollo.query({ query: SalesDocument, variables: { first }, fetchPolicy: "network-only" });
}

/** The cached first page of sales, as a component would read it (no network). */
export function cachedSales(client: PosClient, first = 200) {
  const data = client.apollo.readQuery({ query: SalesDocument, variables: { first } });
  return data?.sales.items ?? [];
}

/**
 * The stock a products view shows: the cache when it is complete, else the network (a sync evicts
 * the server figure of the products it reconciled, so views refetch it).
 */
export async function shownStock(client: PosClient, productId: string): Promise<number | undefined> {
  if (client.apollo.readQuery({ query: ProductsDocument }) === null) await client.apollo.query({ query: ProductsDocument, fetchPolicy: "network-only" });
  return cachedStock(client, productId);
}

export function cachedStock(client: PosClient, productId: string): number | undefined {
  const data = client.apollo.readQuery({ query: ProductsDocument });
  return data?.products.find((p) => p.id === productId)?.stock;
}

/** A token for the same user as `token`, already expired. */
export function expiredTokenLike(t: TestServer, token: string): string {
  const payload = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8")) as { sub: string };
  return issueToken(t.config.jwtSecret, payload.sub, -60);
}

/** Cache keys of sales still under their clientTempId. */
export function tempSaleKeys(client: PosClient, clientTempIds: string[]): string[] {
  const store = client.apollo.cache.extract() as Record<string, unknown>;
  return clientTempIds.map((id) => `Sale:${id}`).filter((key) => key in store);
}
