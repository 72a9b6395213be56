/**
 * The two transports behind one interface, so the contract suite is written once and run against
 * both: each answers in the REST shim's shape (lowercase statuses) plus the HTTP status.
 */
export type SyncAnswer = {
  httpStatus: number;
  synced: { clientTempId: string; serverId: string; orderId: string; status: "created" | "existing"; warnings: string[] }[];
  errors: { clientTempId: string; error: string; retryable: boolean }[];
  /** A request-level failure: its message (REST `error`, GraphQL errors[0].message) and code. */
  failure?: { message: string; code?: string };
};

export type Headers = Record<string, string>;

export type Transport = {
  name: "rest" | "graphql";
  sync(url: string, headers: Headers, sales: unknown): Promise<SyncAnswer>;
};

export function authHeaders(token: string | undefined, shopId: string | undefined): Headers {
  const h: Headers = {};
  if (token !== undefined) h.authorization = `Bearer ${token}`;
  if (shopId !== undefined) h["x-shop-id"] = shopId;
  return h;
}

export const rest: Transport = {
  name: "rest",
  async sync(url, headers, sales) {
    const res = await fetch(`${url}/api/pos/sync`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ sales }),
    });
    const body = (await res.json()) as { synced?: SyncAnswer["synced"]; errors?: SyncAnswer["errors"]; error?: string; code?: string };
    return {
      httpStatus: res.status,
      synced: body.synced ?? [],
      errors: body.errors ?? [],
      failure: body.error ? { message: body.error, code: body.code } : undefined,
    };
  },
};

export const SYNC_MUTATION = `mutation Sync($sales: [OfflineSaleInput!]!) {
  syncOfflineSales(sales: $sales) {
    synced { clientTempId serverId orderId status warnings }
    errors { clientTempId error retryable }
  }
}`;

export const graphql: Transport = {
  name: "graphql",
  async sync(url, headers, sales) {
    const res = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ query: SYNC_MUTATION, variables: { sales } }),
    });
    const body = (await res.json()) as {
      data?: { syncOfflineSales: { synced: (Omit<SyncAnswer["synced"][number], "status"> & { status: string })[]; errors: SyncAnswer["errors"] } } | null;
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    const result = body.data?.syncOfflineSales;
    return {
      httpStatus: res.status,
      synced: (result?.synced ?? []).map((s) => ({ ...s, status: s.status.toLowerCase() as "created" | "existing" })),
      errors: result?.errors ?? [],
      failure: body.errors?.length ? { message: body.errors[0].message, code: body.errors[0].extensions?.code } : undefined,
    };
  },
};

export const TRANSPORTS: Transport[] = [rest, graphql];

export async function gql<T = unknown>(
  url: string,
  headers: Headers,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ status: number; data: T | null; errors?: { message: string; extensions?: { code?: string } }[] }> {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] };
  return { status: res.status, data: body.data ?? null, errors: body.errors };
}
