import { randomUUID } from "node:crypto";
import type { SeededShops } from "../../server/src/demo/seed";
import { saleOf } from "../support/sales";
import { type Headers, type Transport, gql } from "../support/transports";

/** Helpers for issue 11's tests: one offline day over either transport, answered in one shape. */
export type Synced = { clientTempId: string; serverId: string; status: "created" | "existing"; warnings: string[] };
export type Failed = { clientTempId: string | null; error: string; retryable: boolean };
export type SyncedSale = Synced & { orderId: string };
export type DayAnswer = {
  httpStatus: number;
  customers: { synced: Synced[]; errors: Failed[] };
  sales: { synced: SyncedSale[]; errors: { clientTempId: string; error: string; retryable: boolean }[] };
  refunds: { synced: Synced[]; errors: Failed[] };
  failure?: { message: string; code?: string };
  /** The REST body's keys, to check that nothing is added or renamed. */
  keys?: string[];
};
export type Day = { customers?: unknown[]; sales?: unknown[]; refunds?: unknown[]; tillState?: unknown };

export const SYNC_OFFLINE = `mutation Day($customers: [OfflineCustomerInput!], $sales: [OfflineSaleInput!], $refunds: [OfflineRefundInput!], $tillState: TillStateInput) {
  syncOffline(customers: $customers, sales: $sales, refunds: $refunds, tillState: $tillState) {
    customers { synced { clientTempId serverId status warnings } errors { clientTempId error retryable } }
    sales { synced { clientTempId serverId orderId status warnings } errors { clientTempId error retryable } }
    refunds { synced { clientTempId serverId status warnings } errors { clientTempId error retryable } }
  }
}`;

const lower = <T extends { status: string }>(list: T[]) => list.map((s) => ({ ...s, status: s.status.toLowerCase() }));

export async function syncDay(transport: Transport | Transport["name"], url: string, headers: Headers, day: Day): Promise<DayAnswer> {
  const name = typeof transport === "string" ? transport : transport.name;
  if (name === "rest") {
    const res = await fetch(`${url}/api/pos/sync`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(day) });
    const b = (await res.json()) as Record<string, never>;
    return {
      httpStatus: res.status,
      customers: { synced: b.syncedCustomers ?? [], errors: b.customerErrors ?? [] },
      sales: { synced: b.synced ?? [], errors: b.errors ?? [] },
      refunds: { synced: b.syncedRefunds ?? [], errors: b.refundErrors ?? [] },
      failure: b.error ? { message: b.error, code: b.code } : undefined,
      keys: Object.keys(b),
    };
  }
  type R = { synced: { status: string }[]; errors: Failed[] };
  const res = await gql<{ syncOffline: { customers: R; sales: R; refunds: R } }>(url, headers, SYNC_OFFLINE, day as Record<string, unknown>);
  const r = res.data?.syncOffline;
  return {
    httpStatus: res.status,
    customers: { synced: lower(r?.customers.synced ?? []) as Synced[], errors: r?.customers.errors ?? [] },
    sales: { synced: lower(r?.sales.synced ?? []) as SyncedSale[], errors: (r?.sales.errors ?? []) as DayAnswer["sales"]["errors"] },
    refunds: { synced: lower(r?.refunds.synced ?? []) as Synced[], errors: r?.refunds.errors ?? [] },
    failure: res.errors?.length ? { message: res.errors[0].message, code: res.errors[0].extensions?.code } : undefined,
  };
}

export function customerOf(overrides: Record<string, unknown> = {}) {
  return { clientTempId: randomUUID(), name: "Grace Hopper", email: "grace@example.com", phone: "+44 20 7946 0000", createdAt: "2024-01-15T09:00:00Z", ...overrides };
}

/** A sale of `quantity` of the shop's first product at its price, paid exactly in cash unless told. */
export function paidSale(shop: SeededShops, overrides: Record<string, unknown> = {}, quantity = 2) {
  const p = shop.products[0];
  const total = Math.round(p.price * quantity * 100) / 100;
  return { ...saleOf(shop, { items: [{ productId: p.id, quantity, price: p.price, discountPercent: 0 }], totalAmount: total }), ...overrides };
}

/** A refund of `quantity` of the shop's first product at its price, of the sale named by `sale`. */
export function refundOf(shop: SeededShops, sale: { clientTempId?: string; serverId?: string }, overrides: Record<string, unknown> = {}, quantity = 1) {
  const p = shop.products[0];
  const amount = Math.round(p.price * quantity * 100) / 100;
  return {
    clientTempId: randomUUID(),
    sale,
    lines: [{ productId: p.id, quantity, amount }],
    totalAmount: amount,
    reason: "damaged",
    restock: false,
    createdAt: "2024-01-15T11:00:00Z",
    ...overrides,
  };
}

export const REFUND_FIELDS = `id clientTempId sale { id orderId } saleRef { clientTempId serverId } lines { product { id } quantity amount }
  totalAmount reason restock payments { method amount reference offline } createdAt syncedAt receiptNumber needsReview reviewReasons till { code } staff { id }`;

export type RefundView = {
  id: string;
  clientTempId: string;
  sale: { id: string; orderId: string } | null;
  saleRef: { clientTempId: string | null; serverId: string | null };
  lines: { product: { id: string }; quantity: number; amount: number }[];
  totalAmount: number;
  restock: boolean;
  payments: { method: string; amount: number; reference: string | null; offline: boolean }[];
  receiptNumber: string | null;
  needsReview: boolean;
  reviewReasons: string[];
};

export async function refundsOfSale(url: string, headers: Headers, saleId: string) {
  const res = await gql<{ sale: { refunds: RefundView[]; refundedAmount: number; payments: RefundView["payments"]; changeAmount: number } | null }>(
    url,
    headers,
    `query($id: ID!) { sale(id: $id) { refundedAmount changeAmount payments { method amount reference offline } refunds { ${REFUND_FIELDS} } } }`,
    { id: saleId },
  );
  if (!res.data?.sale) throw new Error(`sale ${saleId}: ${JSON.stringify(res.errors)}`);
  return res.data.sale;
}

export async function refundById(url: string, headers: Headers, id: string): Promise<RefundView> {
  for (let after: string | null = null; ; ) {
    const res: { data: { refunds: { items: RefundView[]; nextCursor: string | null } } | null; errors?: unknown } = await gql(
      url,
      headers,
      `query($after: String) { refunds(first: 50, after: $after) { items { ${REFUND_FIELDS} } nextCursor } }`,
      { after },
    );
    if (!res.data) throw new Error(JSON.stringify(res.errors));
    const found = res.data.refunds.items.find((r) => r.id === id);
    if (found) return found;
    if (!res.data.refunds.nextCursor) throw new Error(`refund ${id} not listed`);
    after = res.data.refunds.nextCursor;
  }
}
