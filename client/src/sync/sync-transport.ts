import type { ApolloClient } from "@apollo/client/core";
import { type OfflineSaleInput, type OfflineSaleItemInput, type SyncOfflineSalesMutation, SyncOfflineSalesDocument } from "../generated/graphql";
import type { OfflineSale, SaleLine } from "../outbox/outbox-record";
import type { FailureFacts } from "./retry-policy";
import { paymentInput } from "./payment-input";
import type { TillState } from "./till-state";

export type SyncAnswer = SyncOfflineSalesMutation["syncOfflineSales"];
export type SendOutcome = { kind: "answered"; answer: SyncAnswer } | { kind: "failed"; facts: FailureFacts };
/** Sends a batch; `tillState` (a paired till's outbox report) goes with it when given. */
export type SyncTransport = (sales: OfflineSale[], tillState?: TillState) => Promise<SendOutcome>;

/** Sends one batch through the `syncOfflineSales` mutation, bypassing the cache, never throwing. */
export function apolloSyncTransport(apollo: ApolloClient<unknown>): SyncTransport {
  return async (sales, tillState) => {
    try {
      const { data } = await apollo.mutate({
        mutation: SyncOfflineSalesDocument,
        // No report is no variable at all: the request is then exactly what an unpaired client sends.
        variables: { sales: sales.map(toInput), ...(tillState ? { tillState } : {}) },
        fetchPolicy: "no-cache",
      });
      if (!data) return { kind: "failed", facts: { codes: [], message: "The server answered without data" } };
      return { kind: "answered", answer: data.syncOfflineSales };
    } catch (error) {
      return { kind: "failed", facts: factsOf(error) };
    }
  };
}

/**
 * Every key of T, the optional ones too, each with T's type for it. A value built with this type
 * fails to compile when the generated input type gains a field it does not set, so a new sale
 * field (after `npm run codegen`) cannot be dropped silently; object-literal checks refuse a key T
 * does not have.
 */
export type EveryField<T> = { [K in keyof Required<T>]: T[K] };

/** The sale as `OfflineSaleInput`: its fields and only those (anything else would fail validation). */
export function toInput(sale: OfflineSale): OfflineSaleInput {
  const input: EveryField<OfflineSaleInput> = {
    clientTempId: sale.clientTempId,
    createdAt: sale.createdAt,
    totalAmount: sale.totalAmount,
    items: sale.items.map(toItemInput),
    // No customer is sent as no field at all (undefined is left out of the JSON).
    customerId: sale.customerId || undefined,
    // No cashier is no field at all: the server's fingerprint of a sale without one stays as it
    // was before staffId existed, so a record from an older build still answers `existing`.
    staffId: sale.staffId || undefined,
    // Likewise: a sale without a receipt number (no till) keeps its pre-receipt fingerprint, and
    // one without a customer created here, or without tenders, keeps its older one.
    receiptNumber: sale.receiptNumber ?? undefined,
    customerClientTempId: sale.customerClientTempId || undefined,
    payments: sale.payments?.map(paymentInput),
  };
  return input;
}

function toItemInput(line: SaleLine): OfflineSaleItemInput {
  const input: EveryField<OfflineSaleItemInput> = {
    productId: line.productId,
    quantity: line.quantity,
    price: line.price,
    discountPercent: line.discountPercent ?? 0,
  };
  return input;
}

type ErrorLike = { message?: string; extensions?: { code?: unknown } };
type ApolloErrorLike = {
  message?: string;
  graphQLErrors?: readonly ErrorLike[];
  networkError?: { statusCode?: number; response?: { headers?: { get(name: string): string | null } }; result?: unknown } | null;
};

/** Reads an ApolloError (or anything thrown) into plain facts for the retry decision. */
export function factsOf(error: unknown): FailureFacts {
  const e = (error ?? {}) as ApolloErrorLike;
  const network = e.networkError ?? undefined;
  const body = (network?.result ?? undefined) as { errors?: ErrorLike[]; code?: unknown } | undefined;
  const bodyErrors = body?.errors ?? [];
  // GraphQL errors carry `extensions.code`; a REST-shaped error body (a proxy, a route before
  // GraphQL) carries `code` beside its `error`.
  const codes = [...[...(e.graphQLErrors ?? []), ...bodyErrors].map((g) => g.extensions?.code), body?.code].filter(
    (c): c is string => typeof c === "string",
  );
  const bodyMessage = bodyErrors[0]?.message;
  const date = network?.response?.headers?.get("date");
  const messages = [...bodyErrors, ...(e.graphQLErrors ?? [])].map((g) => g.message).filter((m): m is string => typeof m === "string");
  return {
    status: typeof network?.statusCode === "number" ? network.statusCode : undefined,
    retryAfter: network?.response?.headers?.get("retry-after") ?? null,
    ...(date ? { date } : {}),
    codes,
    message: bodyMessage ?? e.graphQLErrors?.[0]?.message ?? e.message ?? String(error),
    messages,
  };
}
