import type { RefundFieldsFragment, SaleFieldsFragment } from "../generated/graphql";
import { centsToAmount, lineCents, toCents } from "../money";
import type { RefundRecord } from "../outbox/entity-record";
import type { OfflineSale } from "../outbox/outbox-record";

export type RefundEntityData = RefundFieldsFragment & { __typename: "Refund" };

/** A refund of the outbox as a cache entry: `Refund:<clientTempId>` until the server has it, then `Refund:<serverId>`. */
export function refundEntityData(record: RefundRecord): RefundEntityData {
  return {
    __typename: "Refund",
    id: record.state === "synced" ? record.serverId : record.clientTempId,
    clientTempId: record.clientTempId,
    totalAmount: record.refund.totalAmount,
    restock: record.refund.restock,
    createdAt: record.refund.createdAt,
  };
}

/** SaleFieldsFragment as written to the cache: with `__typename` on every object, for normalisation. */
export type SaleEntityData = SaleFieldsFragment & { __typename: "Sale" };

/**
 * The cache entry for a sale of the outbox. Before the server has it, the id is the clientTempId,
 * `orderId` is "" and `syncedAt` is null (the UI reads `syncState @client` to tell); after, it is
 * the server's id and order number.
 */
export function saleEntityData(
  sale: OfflineSale,
  server?: { id: string; orderId: string; syncedAt: string },
  receipt: string | null = null,
  customerId: string | null = sale.customerId ?? null,
  refunds: readonly RefundRecord[] = [],
): SaleEntityData {
  const data = {
    __typename: "Sale",
    id: server?.id ?? sale.clientTempId,
    clientTempId: sale.clientTempId,
    orderId: server?.orderId ?? "",
    // Printed at the moment of sale (receiptOf the record); the server shows the same label.
    receiptNumber: receipt,
    createdAt: sale.createdAt,
    syncedAt: (server?.syncedAt ?? null) as string,
    totalAmount: sale.totalAmount,
    needsReview: false,
    reviewReasons: [],
    customer: customerId ? { __typename: "Customer", id: customerId } : null,
    refunds: refunds.map(refundEntityData),
    refundedAmount: centsToAmount(refunds.reduce((sum, r) => sum + toCents(r.refund.totalAmount), 0)),
    items: sale.items.map((line, index) => ({
      __typename: "SaleItem",
      id: `${sale.clientTempId}:${index}`,
      quantity: line.quantity,
      price: line.price,
      discountPercent: line.discountPercent ?? 0,
      lineTotal: centsToAmount(lineCents(line)),
      product: { __typename: "Product", id: line.productId },
    })),
  };
  return data as SaleEntityData;
}
