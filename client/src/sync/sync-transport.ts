import type { ApolloClient } from "@apollo/client/core";
import { type SyncOfflineSalesMutation, SyncOfflineSalesDocument } from "../generated/graphql";
import type { OfflineSale } from "../outbox/outbox-record";
import type { FailureFacts } from "./retry-policy";

export type SyncAnswer = SyncOfflineSalesMutation["syncOfflineSales"];
export type SendOutcome = { kind: "answered"; answer: SyncAnswer } | { kind: "failed"; facts: FailureFacts };
export type SyncTransport = (sales: OfflineSale[]) => Promise<SendOutcome>;

/** Sends one batch through the `syncOfflineSales` mutation, bypassing the cache, never throwing. */
export function apolloSyncTransport(apollo: ApolloClient<unknown>): SyncTransport {
  return async (sales) => {
    try {
      const { data } = await apollo.mutate({
        mutation: SyncOfflineSalesDocument,
        variables: { sales: sales.map(toInput) },
        fetchPolicy: "no-cache",
      });
      if (!data) return { kind: "failed", facts: { codes: [], message: "The server answered without data" } };
      return { kind: "answered", answer: data.syncOfflineSales };
    } catch (error) {
      return { kind: "failed", facts: factsOf(error) };
    }
  };
}

/** Only the fields of OfflineSaleInput: anything else in a record would fail validation. */
function toInput(sale: OfflineSale): OfflineSale {
  const { clientTempId, items, totalAmount, customerId, createdAt } = sale;
  return {
    clientTempId,
    createdAt,
    totalAmount,
    items: items.map(({ productId, quantity, price, discountPercent }) => ({ productId, quantity, price, discountPercent: discountPercent ?? 0 })),
    ...(customerId ? { customerId } : {}),
  };
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
  const bodyErrors = (network?.result as { errors?: ErrorLike[] } | undefined)?.errors ?? [];
  const codes = [...(e.graphQLErrors ?? []), ...bodyErrors]
    .map((g) => g.extensions?.code)
    .filter((c): c is string => typeof c === "string");
  const bodyMessage = bodyErrors[0]?.message;
  const messages = [...bodyErrors, ...(e.graphQLErrors ?? [])].map((g) => g.message).filter((m): m is string => typeof m === "string");
  return {
    status: typeof network?.statusCode === "number" ? network.statusCode : undefined,
    retryAfter: network?.response?.headers?.get("retry-after") ?? null,
    codes,
    message: bodyMessage ?? e.graphQLErrors?.[0]?.message ?? e.message ?? String(error),
    messages,
  };
}
