import type { ApolloClient } from "@apollo/client/core";
import type { OfflineCustomer, OfflineRefund } from "../outbox/entity-record";
import { paymentInput } from "./payment-input";
import { type SendOutcome, factsOf } from "./sync-transport";
import type { TillState } from "./till-state";
import {
  type OfflineCustomerInput,
  type OfflineRefundInput,
  type OfflineRefundLineInput,
  type SyncOfflineMutation,
  SyncOfflineDocument,
} from "../generated/graphql";
import type { EveryField } from "./sync-transport";

export type EntityAnswer = Pick<SyncOfflineMutation["syncOffline"], "customers" | "refunds">;
export type EntityOutcome = { kind: "answered"; answer: EntityAnswer } | Extract<SendOutcome, { kind: "failed" }>;
export type EntityBatch = { customers: OfflineCustomer[]; refunds: OfflineRefund[] };
/** Sends customers and refunds (no sales) through `syncOffline`, never throwing. */
export type EntityTransport = (batch: EntityBatch, tillState?: TillState) => Promise<EntityOutcome>;

export function apolloEntityTransport(apollo: ApolloClient<unknown>): EntityTransport {
  return async (batch, tillState) => {
    try {
      const { data } = await apollo.mutate({
        mutation: SyncOfflineDocument,
        variables: { customers: batch.customers.map(customerInput), refunds: batch.refunds.map(refundInput), ...(tillState ? { tillState } : {}) },
        fetchPolicy: "no-cache",
      });
      if (!data) return { kind: "failed", facts: { codes: [], message: "The server answered without data" } };
      return { kind: "answered", answer: data.syncOffline };
    } catch (error) {
      return { kind: "failed", facts: factsOf(error) };
    }
  };
}

function customerInput(customer: OfflineCustomer): OfflineCustomerInput {
  const input: EveryField<OfflineCustomerInput> = {
    clientTempId: customer.clientTempId,
    name: customer.name,
    email: customer.email,
    phone: customer.phone,
    createdAt: customer.createdAt,
  };
  return input;
}

function refundInput(refund: OfflineRefund): OfflineRefundInput {
  const input: EveryField<OfflineRefundInput> = {
    clientTempId: refund.clientTempId,
    sale: "clientTempId" in refund.sale ? { clientTempId: refund.sale.clientTempId } : { serverId: refund.sale.serverId },
    lines: refund.lines.map((l): EveryField<OfflineRefundLineInput> => ({ productId: l.productId, quantity: l.quantity, amount: l.amount })),
    totalAmount: refund.totalAmount,
    reason: refund.reason,
    restock: refund.restock,
    payments: refund.payments?.map(paymentInput),
    createdAt: refund.createdAt,
    receiptNumber: refund.receiptNumber,
    staffId: refund.staffId,
  };
  return input;
}
