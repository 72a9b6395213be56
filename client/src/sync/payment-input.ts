import type { PaymentInput } from "../generated/graphql";
import type { Payment } from "../outbox/entity-record";

/** Every key of T, the optional ones too (see sync-transport's EveryField). */
type EveryField<T> = { [K in keyof Required<T>]: T[K] };

/** A tender as `PaymentInput`, for sales and refunds alike; every field of the input is set. */
export function paymentInput(payment: Payment): PaymentInput {
  const input: EveryField<PaymentInput> = { method: payment.method, amount: payment.amount, reference: payment.reference, offline: payment.offline };
  return input;
}
