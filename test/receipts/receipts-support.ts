import { randomUUID } from "node:crypto";
import type { SeededShops } from "../../server/src/demo/seed";
import { type OfflineSale, saleOf } from "../support/sales";
import type { TestServer } from "../support/test-server";
import { type Headers, type SyncAnswer, type Transport, authHeaders, gql } from "../support/transports";
import { PASSWORD, addUser, login, pairedTill } from "../auth/auth-support";

/** Helpers for issue 10's tests: a sync that carries a tillState, paired tills, a manager, the tills list. */
export type TillState = { unsentCount: number; lowestReceipt?: number | null; highestReceipt?: number | null };
export type ReceiptSale = OfflineSale & { receiptNumber?: number | null; staffId?: string | null };

export const SYNC_WITH_STATE = `mutation Sync($sales: [OfflineSaleInput!]!, $tillState: TillStateInput) {
  syncOfflineSales(sales: $sales, tillState: $tillState) {
    synced { clientTempId serverId orderId status warnings }
    errors { clientTempId error retryable }
  }
}`;

/** A sync over either transport with an optional tillState, answered in the REST shim's shape. */
export async function syncWith(transport: Transport, url: string, headers: Headers, sales: unknown[], tillState?: unknown): Promise<SyncAnswer> {
  if (tillState === undefined) return transport.sync(url, headers, sales);
  if (transport.name === "rest") {
    const res = await fetch(`${url}/api/pos/sync`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ sales, tillState }),
    });
    const body = (await res.json()) as { synced?: SyncAnswer["synced"]; errors?: SyncAnswer["errors"]; error?: string; code?: string };
    return { httpStatus: res.status, synced: body.synced ?? [], errors: body.errors ?? [], failure: body.error ? { message: body.error, code: body.code } : undefined };
  }
  const res = await gql<{ syncOfflineSales: { synced: (Omit<SyncAnswer["synced"][number], "status"> & { status: string })[]; errors: SyncAnswer["errors"] } }>(
    url,
    headers,
    SYNC_WITH_STATE,
    { sales, tillState },
  );
  const result = res.data?.syncOfflineSales;
  return {
    httpStatus: res.status,
    synced: (result?.synced ?? []).map((s) => ({ ...s, status: s.status.toLowerCase() as "created" | "existing" })),
    errors: result?.errors ?? [],
    failure: res.errors?.length ? { message: res.errors[0].message, code: res.errors[0].extensions?.code } : undefined,
  };
}

export function receiptSale(shop: SeededShops, receiptNumber: number | null, overrides: Partial<ReceiptSale> = {}): ReceiptSale {
  return { ...saleOf(shop), ...(receiptNumber === null ? {} : { receiptNumber }), ...overrides };
}

export type Till = Awaited<ReturnType<typeof pairedTill>>;
export { pairedTill };

export async function signedIn(t: TestServer, shop: SeededShops, role: "manager" | "cashier" | "owner" | "viewer") {
  const user = await addUser(t, shop.shopId, role);
  const { body } = await login(t, user.email, PASSWORD);
  return { ...user, headers: authHeaders(body.accessToken, shop.shopId) };
}

export type TillView = {
  id: string;
  code: string;
  highestReceipt: number | null;
  unsentCount: number | null;
  stateReportedAt: string | null;
  unidentifiedRejections: number;
  receiptGaps: { from: number; to: number; status: string }[];
};

const TILLS = "{ tills { id code highestReceipt unsentCount stateReportedAt unidentifiedRejections receiptGaps { from to status } } }";

export async function tillView(t: TestServer, headers: Headers, tillId: string): Promise<TillView> {
  const res = await gql<{ tills: TillView[] }>(t.url, headers, TILLS);
  if (!res.data) throw new Error(`tills failed: ${JSON.stringify(res.errors)}`);
  const till = res.data.tills.find((x) => x.id === tillId);
  if (!till) throw new Error(`till ${tillId} not listed`);
  return till;
}

export type AttentionView = {
  id: string;
  kind: string;
  till: { id: string; code: string; name: string } | null;
  at: string;
  message: string;
  refersTo: { kind: string; id: string };
  resolution: { resolvedAt: string; resolvedBy: string | null; note: string | null } | null;
};

export const ATTENTION = `query($first: Int, $includeResolved: Boolean) {
  attention(first: $first, includeResolved: $includeResolved) {
    id kind till { id code name } at message refersTo { kind id } resolution { resolvedAt resolvedBy note }
  }
}`;
export const RESOLVE = `mutation($id: ID!, $note: String) {
  resolveAttention(id: $id, note: $note) { id kind message resolution { resolvedAt resolvedBy note } }
}`;

export async function attention(t: TestServer, headers: Headers, includeResolved = false): Promise<AttentionView[]> {
  const res = await gql<{ attention: AttentionView[] }>(t.url, headers, ATTENTION, { first: 200, includeResolved });
  if (!res.data) throw new Error(`attention failed: ${JSON.stringify(res.errors)}`);
  return res.data.attention;
}

/** A product id that no shop has, to make a sale the server refuses. */
export const unknownProduct = (): string => randomUUID();
