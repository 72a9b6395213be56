import { type PairTillAnswer, type PosClient, type PosClientOptions, type TillCredential, createPosClient, pairTill } from "../../client/src";
import type { KeyValueStorage } from "../../client/src/storage/storage";
import type { SeededShops } from "../../server/src/demo/seed";
import type { TestServer } from "../support/test-server";
import { authHeaders, gql } from "../support/transports";

/**
 * A fetch that logs every request as "<what> <status>" (`refresh 200`, `graphql 401`, `sync 200`,
 * `refresh down`), can be cut (`down()`), and can answer refreshes itself (`refreshAnswer`).
 */
export function loggingFetch() {
  let down = false;
  let refreshAnswer: ((init?: RequestInit) => Promise<Response>) | null = null;
  const log: string[] = [];
  const syncBodies: SyncBody[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const body = typeof init?.body === "string" ? init.body : "";
    if (body.includes("syncOfflineSales")) syncBodies.push(JSON.parse(body) as SyncBody);
    const what = url.endsWith("/api/auth/refresh") ? "refresh" : body.includes("syncOfflineSales") ? "sync" : url.endsWith("/graphql") ? "graphql" : url;
    if (down) {
      log.push(`${what} down`);
      throw new TypeError("fetch failed: network is down");
    }
    const response = what === "refresh" && refreshAnswer ? await refreshAnswer(init) : await fetch(input, init);
    log.push(`${what} ${response.status}`);
    return response;
  };
  return {
    fetch: fetchImpl,
    log,
    down: () => void (down = true),
    up: () => void (down = false),
    answerRefreshes: (answer: typeof refreshAnswer) => void (refreshAnswer = answer),
    count: (entry: string) => log.filter((e) => e === entry).length,
    /** Every sync request's GraphQL body, in the order sent. */
    syncBodies: () => syncBodies,
  };
}

type SyncBody = { variables: { sales: Record<string, unknown>[]; tillState?: unknown } };

/** A clock the test moves: starts at the real time, advances only when told. */
export function testClock(start = Date.now()) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

export type AuthClientOptions = Partial<PosClientOptions> & { storage: KeyValueStorage; credential?: TillCredential };

/** A client that manages its own credential, with every automatic trigger off. */
export function authClient(t: TestServer, shopId: string, options: AuthClientOptions): PosClient {
  const { credential, auth, ...rest } = options;
  return createPosClient({
    uri: `${t.url}/graphql`,
    shopId,
    auth: { credential, ...auth },
    syncIntervalMs: 0,
    syncOnStart: false,
    syncAfterRecordMs: false,
    catalogIntervalMs: false,
    networkEvents: false,
    locks: null,
    ...rest,
  });
}

/** A pairing code made by the shop's owner (createTillPairing needs tills:manage). */
export async function pairingCode(t: TestServer, shop: SeededShops, name = "Front counter"): Promise<string> {
  const res = await gql<{ createTillPairing: { code: string } }>(
    t.url,
    authHeaders(shop.tokens.owner, shop.shopId),
    "mutation($name: String!) { createTillPairing(name: $name) { code } }",
    { name },
  );
  if (!res.data) throw new Error(`createTillPairing failed: ${JSON.stringify(res.errors)}`);
  return res.data.createTillPairing.code;
}

/** A till of the shop paired through the REST route, by the client's own helper. */
export async function pairedTillAnswer(t: TestServer, shop: SeededShops, name?: string): Promise<PairTillAnswer> {
  return pairTill(t.url, await pairingCode(t, shop, name));
}

/** A user with a password and a role in the shop, as the CLI creates them. */
export async function addMember(t: TestServer, shopId: string, role: "owner" | "manager" | "cashier", password = "correct horse battery staple") {
  const email = `${role}-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const user = await t.server.services.accounts.addUser({ email, name: `Test ${role}`, password });
  await t.server.services.accounts.addMember(shopId, user.id, role);
  return { ...user, password };
}

export async function revokeTill(t: TestServer, shop: SeededShops, tillId: string): Promise<void> {
  const res = await gql(t.url, authHeaders(shop.tokens.owner, shop.shopId), "mutation($id: ID!) { revokeTill(id: $id) { id revokedAt } }", { id: tillId });
  if (res.errors) throw new Error(`revokeTill failed: ${JSON.stringify(res.errors)}`);
}

/** The till's sales on the server: client temp id to how many rows carry it, and the till recorded. */
export async function serverSalesOf(t: TestServer, shopId: string) {
  const rows: { client_temp_id: string; n: number; till_id: string | null; staff_id: string | null }[] = await t.dataSource.query(
    `SELECT client_temp_id::text AS client_temp_id, count(*)::int AS n, min(till_id::text) AS till_id, min(staff_id::text) AS staff_id
       FROM sales WHERE shop_id = $1 GROUP BY client_temp_id`,
    [shopId],
  );
  return rows;
}

/** Whether any refresh-token family of the till was revoked (a reuse would revoke it). */
export async function tillFamilyRevoked(t: TestServer, tillId: string): Promise<boolean> {
  const rows: { revoked: boolean }[] = await t.dataSource.query(
    `SELECT bool_or(revoked_at IS NOT NULL) AS revoked FROM refresh_token_families WHERE till_id = $1`,
    [tillId],
  );
  return rows[0]?.revoked ?? false;
}

export const HOUR = 60 * 60 * 1000;
