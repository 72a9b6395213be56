import { checkInvariants } from "../../server/src/invariants/check";
import { isUuid } from "../../server/src/shared/uuid";
import type { SeededShops } from "../../server/src/demo/seed";
import { shopTotals } from "../support/database";
import type { TestServer } from "../support/test-server";
import { SYNC_MUTATION, authHeaders } from "../support/transports";

/**
 * Sends JSON text as written (so NaN, -0 and duplicated keys survive) over either transport and
 * checks what must hold whatever was sent: no 5xx, a message on every error, and in the database
 * exactly the sales the answer says were created, each whole (items, mapping, ledger).
 */
export type TransportName = "rest" | "graphql";

export type RawAnswer = {
  status: number;
  synced: { clientTempId: string; serverId: string; status: string }[];
  errors: { clientTempId: string; error: string }[];
  failure?: string;
};

export function bodyFor(transport: TransportName, salesText: string): string {
  return transport === "rest"
    ? `{"sales":${salesText}}`
    : `{"query":${JSON.stringify(SYNC_MUTATION)},"variables":{"sales":${salesText}}}`;
}

export async function sendRaw(t: TestServer, shop: SeededShops, transport: TransportName, body: string): Promise<RawAnswer> {
  const res = await fetch(`${t.url}${transport === "rest" ? "/api/pos/sync" : "/graphql"}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...authHeaders(shop.tokens.cashier, shop.shopId) },
    body,
  });
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`HTTP ${res.status} answered with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  const result = (transport === "rest" ? json : (json.data as Record<string, unknown> | null)?.syncOfflineSales) as
    | { synced: RawAnswer["synced"]; errors: RawAnswer["errors"] }
    | undefined;
  const gqlErrors = json.errors as { message?: unknown }[] | undefined;
  // Body-parser failures on /graphql (invalid JSON, too large) come from Express's error handler in
  // the REST shape; hostile-input.test.ts has a test that wants the GraphQL shape there too.
  const failure = transport === "rest" ? json.error : (gqlErrors?.[0]?.message ?? json.error);
  return {
    status: res.status,
    synced: result?.synced ?? [],
    errors: result?.errors ?? [],
    failure: typeof failure === "string" ? failure : failure === undefined ? undefined : String(failure),
  };
}

/** Items per clientTempId as the server will have read them (JSON.parse semantics: last key wins). */
export function itemCountsOf(salesText: string): Map<string, number> {
  const counts = new Map<string, number>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(salesText);
  } catch {
    return counts;
  }
  for (const sale of Array.isArray(parsed) ? parsed : [parsed]) {
    const s = sale as { clientTempId?: unknown; items?: unknown } | null;
    if (typeof s?.clientTempId === "string" && Array.isArray(s.items)) counts.set(s.clientTempId.toLowerCase(), s.items.length);
  }
  return counts;
}

export async function expectSound(t: TestServer, shopId: string, before: Awaited<ReturnType<typeof shopTotals>>, answer: RawAnswer, salesText: string) {
  expect(answer.status).toBeLessThan(500);
  const after = await shopTotals(t.dataSource, shopId);
  if (answer.status !== 200) {
    expect(typeof answer.failure).toBe("string");
    expect(answer.failure!.length).toBeGreaterThan(0);
    expect(after).toEqual(before);
  } else {
    for (const e of answer.errors) expect(e.error).toMatch(/\S/);
    const created = answer.synced.filter((s) => s.status.toLowerCase() === "created");
    const counts = itemCountsOf(salesText);
    const items = created.reduce((n, s) => n + (counts.get(s.clientTempId) ?? NaN), 0);
    expect(after.sales - before.sales).toBe(created.length);
    expect(after.mappings - before.mappings).toBe(created.length);
    expect(after.items - before.items).toBe(items);
    const syncedIds = new Set(answer.synced.map((s) => s.clientTempId));
    const rejected = answer.errors.map((e) => e.clientTempId.toLowerCase()).filter((id) => isUuid(id) && !syncedIds.has(id));
    if (rejected.length > 0) {
      const rows: { n: number }[] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM offline_sale_syncs WHERE shop_id = $1 AND client_temp_id = ANY($2::uuid[])`,
        [shopId, rejected],
      );
      expect(rows[0].n).toBe(0);
    }
  }
  expect(await checkInvariants(t.dataSource, { shopId })).toEqual([]);
}

/** Sends, then checks the shop's rows against what the answer claims (see expectSound). */
export async function sendSoundly(
  t: TestServer,
  shop: SeededShops,
  transport: TransportName,
  salesText: string,
  body = bodyFor(transport, salesText),
): Promise<RawAnswer> {
  const before = await shopTotals(t.dataSource, shop.shopId);
  const answer = await sendRaw(t, shop, transport, body);
  await expectSound(t, shop.shopId, before, answer, salesText);
  return answer;
}
