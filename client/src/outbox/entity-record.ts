import type { OutboxState, ReceiptTill } from "./outbox-record";

/**
 * What the till creates offline besides sales, queued in the entity outbox: customers signed up at
 * the counter and refunds. Plain JSON, like the sales' records.
 */
export type PaymentMethod = "CASH" | "CARD" | "VOUCHER" | "OTHER";
/** A tender; `offline` when the till took it without a connection (a card payment then cannot have been authorised online). */
export type Payment = { method: PaymentMethod; amount: number; reference?: string; offline?: boolean };

export type OfflineCustomer = { clientTempId: string; name: string; email?: string; phone?: string; createdAt: string };

/** The sale a refund is for: this till's sale by its clientTempId, or a sale the server has by its id. */
export type SaleRef = { clientTempId: string } | { serverId: string };
export type RefundLine = { productId: string; quantity: number; amount: number };

export type OfflineRefund = {
  clientTempId: string;
  sale: SaleRef;
  lines: RefundLine[];
  totalAmount: number;
  reason?: string;
  restock: boolean;
  payments?: Payment[];
  createdAt: string;
  /** From the till's one receipt counter, shared with its sales. */
  receiptNumber?: number;
  staffId?: string;
};

type Payload = { kind: "customer"; customer: OfflineCustomer } | { kind: "refund"; refund: OfflineRefund };
type Base = { seq: number; clientTempId: string; attempts: number; receiptTill?: ReceiptTill };
type State =
  | { state: "pending" | "syncing"; synced: false }
  | { state: "synced"; synced: true; serverId: string; syncedAt: string; warnings: string[] }
  | { state: "failed"; synced: false; syncError: string };

export type EntityRecord = Base & Payload & State;
export type CustomerRecord = Extract<EntityRecord, { kind: "customer" }>;
export type RefundRecord = Extract<EntityRecord, { kind: "refund" }>;
export type EntityState = OutboxState;

export type UnsentEntity = Extract<EntityRecord, { state: "pending" | "syncing" }>;

/** The record back to pending, keeping what it is (a resend after a transient failure). */
export function entityToPending(record: EntityRecord): UnsentEntity {
  const { seq, clientTempId, attempts, receiptTill } = record;
  const base = { seq, clientTempId, attempts, ...(receiptTill ? { receiptTill } : {}), state: "pending" as const, synced: false as const };
  return record.kind === "customer" ? { ...base, kind: "customer", customer: record.customer } : { ...base, kind: "refund", refund: record.refund };
}
