import { useQuery } from "@apollo/client/react";
import { type PosClient, ProductsDocument, type SalesQuery, receiptOf } from "@pos-sync/client";
import type { StaffMember } from "../cashier/staff-store";
import { SaleAttributionDocument } from "../generated/graphql";

export type ListedSale = SalesQuery["sales"]["items"][number];

/**
 * Who made a sale and its receipt number, wherever they are known: the outbox record while the
 * sale is on this till (its staffId, named from the saved staff list; its receipt number), the
 * server's `Sale.staff` once it is synced (asked once per sale, then cached).
 */
export function useSaleDetails(sale: ListedSale, pos: PosClient, staff: StaffMember[]): { cashier: string | null; receipt: string | null } {
  const synced = sale.syncState === "synced";
  const { data } = useQuery(SaleAttributionDocument, { variables: { id: sale.id }, fetchPolicy: "cache-first", skip: !synced });
  const record = pos.outboxRecords().find((r) => r.clientTempId === sale.clientTempId);
  const staffId = record?.sale.staffId;
  const queuedName = staffId ? (staff.find((m) => m.id === staffId)?.name ?? "a cashier no longer listed") : null;
  return {
    cashier: (synced ? data?.sale?.staff?.name : null) ?? queuedName,
    receipt: data?.sale?.receiptNumber ?? (record ? receiptOf(record) : null),
  };
}

/** Product names for the receipt, from the cached catalogue (offline too). */
export function useProductNames(pos: PosClient): (productId: string) => string {
  const products = pos.apollo.readQuery({ query: ProductsDocument })?.products ?? [];
  const names = new Map(products.map((p) => [p.id, p.name]));
  return (productId) => names.get(productId) ?? "Product no longer listed";
}
