import type { InMemoryCache, Reference } from "@apollo/client/core";
import { type CustomerRefFragment, CustomerRefFragmentDoc, RefundFieldsFragmentDoc, SaleFieldsFragmentDoc, SaleOrderFragmentDoc } from "../generated/graphql";
import type { EntityRecord, RefundRecord } from "../outbox/entity-record";
import { centsToAmount, toCents } from "../money";
import { type OfflineSale, type OutboxRecord, type SyncedRecord, isUnsynced } from "../outbox/outbox-record";
import type { LocalOverlay } from "./local-overlay";
import { replaceReferences } from "./replace-references";
import { receiptOf } from "../outbox/receipt-counter";
import { refundEntityData, saleEntityData } from "./sale-entity";

type SalePage = { items: Reference[]; nextCursor: string | null };

/**
 * Keeps the Apollo cache in step with the outbox: shows recorded sales at once, and replaces
 * `Sale:<clientTempId>` by `Sale:<serverId>` (with the order number) when the server has them.
 */
export class CacheSync {
  /** The server's id of a customer created on this till, once it has one (set by the session). */
  resolveCustomer: (clientTempId: string) => string | undefined = () => undefined;
  /** This till's refunds of one of its sales, by the sale's clientTempId (set by the session). */
  refundsOf: (saleClientTempId: string) => RefundRecord[] = () => [];
  /** The server's id of one of this till's sales, once it has one (set by the session). */
  saleServerIdOf: (saleClientTempId: string) => string | undefined = () => undefined;

  constructor(
    private readonly cache: InMemoryCache,
    private readonly overlay: LocalOverlay,
  ) {}

  /**
   * Writes `Sale:<clientTempId>` entries missing from the cache and lets the overlay list them and
   * take their stock off. A sale already there is not written again: its fields never change before
   * it syncs, and each write would wake the cache's watchers and restart the persist debounce.
   */
  showUnsynced(records: OutboxRecord[]): void {
    this.cache.batch({
      update: (cache) => {
        for (const record of records) {
          if (!isUnsynced(record)) continue;
          const id = this.saleKey(record.clientTempId);
          if (cache.readFragment({ id, fragment: SaleFieldsFragmentDoc, fragmentName: "SaleFields" })) continue;
          cache.writeFragment({ id, fragment: SaleFieldsFragmentDoc, fragmentName: "SaleFields", data: saleEntityData(record.sale, undefined, receiptOf(record), this.customerOf(record.sale), this.refundsOf(record.clientTempId)) });
        }
        this.overlay.apply(records);
      },
    });
  }

  /**
   * Customers and refunds as the outbox holds them now: unsynced restocking refunds count in the
   * shown stock; once the server has one, the product's stored stock is evicted, so views refetch
   * the server's figure (which then counts it). Customers synced replace their temp references.
   */
  showEntities(records: EntityRecord[]): void {
    this.cache.batch({
      update: (cache) => {
        for (const record of records) {
          if (record.kind === "refund" && record.state === "synced" && record.refund.restock) {
            for (const line of record.refund.lines) cache.evict({ id: cache.identify({ __typename: "Product", id: line.productId }), fieldName: "stock" });
          }
          if (record.kind === "customer" && record.state === "synced") this.replaceCustomer(cache, record.clientTempId, record.serverId);
          if (record.kind === "refund") this.showRefund(cache, record);
        }
        this.overlay.applyRefunds(records);
      },
    });
  }

  forgetEntities(clientTempIds: string[]): void {
    this.cache.batch({ update: () => this.overlay.forgetRefunds(clientTempIds) });
  }

  /**
   * A refund on its sale in the cache: `Refund:<clientTempId>` in the sale's `refunds` (and its
   * amount in `refundedAmount`) at once, replaced by `Refund:<serverId>` once the server has it.
   */
  private showRefund(cache: InMemoryCache, record: RefundRecord): void {
    const ref = record.refund.sale;
    const saleId = "serverId" in ref ? ref.serverId : (this.saleServerIdOf(ref.clientTempId) ?? ref.clientTempId);
    const saleKey = cache.identify({ __typename: "Sale", id: saleId });
    const data = refundEntityData(record);
    const key = cache.identify(data);
    const tempKey = cache.identify({ __typename: "Refund", id: record.clientTempId });
    if (!saleKey || !key || !tempKey) return;
    cache.writeFragment({ id: key, fragment: RefundFieldsFragmentDoc, data });
    let added = false;
    // The list first, so the amount knows whether this refund is new to the sale.
    cache.modify<{ refunds: Reference[] }>({
      id: saleKey,
      fields: {
        refunds: (refs, { toReference }) => {
          const list = refs as readonly Reference[];
          added = !list.some((r) => r.__ref === tempKey || r.__ref === key);
          return [...list.filter((r) => r.__ref !== tempKey && r.__ref !== key), toReference(key)!];
        },
      },
    });
    if (added) {
      cache.modify<{ refundedAmount: number }>({
        id: saleKey,
        fields: { refundedAmount: (amount) => centsToAmount(toCents(amount as number) + toCents(record.refund.totalAmount)) },
      });
    }
    if (key !== tempKey) cache.evict({ id: tempKey });
  }

  private replaceCustomer(cache: InMemoryCache, tempId: string, serverId: string): void {
    const tempKey = cache.identify({ __typename: "Customer", id: tempId });
    const serverKey = cache.identify({ __typename: "Customer", id: serverId });
    if (!tempKey || !serverKey || tempKey === serverKey) return;
    cache.writeFragment({ id: serverKey, fragment: CustomerRefFragmentDoc, data: { __typename: "Customer", id: serverId } as CustomerRefFragment });
    const replacements = new Map([[tempKey, serverKey]]);
    // Every entity and root field that pointed at the temp customer points at the server's.
    for (const id of Object.keys(cache.extract() as Record<string, unknown>)) {
      if (id === "ROOT_QUERY" || id.startsWith("Sale:")) cache.modify({ id, fields: (value) => replaceReferences(value, replacements) });
    }
    cache.evict({ id: tempKey });
  }

  /** Sales discarded from the outbox leave the cache; their stock comes back. */
  forget(clientTempIds: string[]): void {
    this.cache.batch({
      update: (cache) => {
        for (const id of clientTempIds) cache.evict({ id: this.saleKey(id) });
        this.overlay.remove(clientTempIds);
      },
    });
    this.cache.gc();
  }

  /**
   * For sales the server now has: `Sale:<serverId>` replaces `Sale:<clientTempId>` in every root
   * field that referenced it and joins the first page of each cached `sales` list. The stock they
   * took leaves the overlay, and the stored `Product.stock` of their products is evicted, not
   * recomputed: whether that server figure already counts the sale depends on when it was fetched
   * (a refetch after a lost answer already does), so only the server can say. Watching queries
   * refetch the evicted field; the overlay keeps covering the sales that are still unsynced.
   */
  reconcile(records: SyncedRecord[]): void {
    if (records.length === 0) return;
    const replacements = new Map<string, string>();
    const products = new Set<string>();
    this.cache.batch({
      update: (cache) => {
        for (const record of records) {
          const tempKey = this.saleKey(record.clientTempId);
          const serverKey = this.saleKey(record.serverId);
          const known = cache.readFragment({ id: serverKey, fragment: SaleOrderFragmentDoc });
          if (!known?.orderId) {
            const server = { id: record.serverId, orderId: record.orderId, syncedAt: record.syncedAt };
            const data = saleEntityData(record.sale, server, receiptOf(record), this.customerOf(record.sale), this.refundsOf(record.clientTempId));
            cache.writeFragment({ id: serverKey, fragment: SaleFieldsFragmentDoc, fragmentName: "SaleFields", data });
          }
          if (tempKey !== serverKey) {
            cache.evict({ id: tempKey });
            replacements.set(tempKey, serverKey);
          }
          for (const line of record.sale.items) products.add(line.productId);
        }
        cache.modify({ id: "ROOT_QUERY", fields: (value) => replaceReferences(value, replacements) });
        const newestFirst = [...records].sort((a, b) => b.seq - a.seq).map((r) => ({ __ref: this.saleKey(r.serverId) }));
        cache.modify<{ sales: SalePage }>({
          id: "ROOT_QUERY",
          fields: { sales: (page, { storeFieldName }) => (isFirstPage(storeFieldName) ? prepend(page as SalePage, newestFirst) : page) },
        });
        for (const productId of products) cache.evict({ id: cache.identify({ __typename: "Product", id: productId }), fieldName: "stock" });
        this.overlay.apply(records);
      },
    });
  }

  /**
   * After a start: unsynced sales missing from the cache (it was purged or never persisted) are
   * shown again, and reconciliations that a crash cut short are finished.
   */
  repair(records: OutboxRecord[]): void {
    const stored = this.cache.extract() as Record<string, unknown>;
    this.showUnsynced(records.filter((r) => isUnsynced(r) && !stored[this.saleKey(r.clientTempId)]));
    this.overlay.apply(records.filter(isUnsynced));
    const unfinished = records.filter((r): r is SyncedRecord => r.state === "synced" && !!stored[this.saleKey(r.clientTempId)]);
    this.reconcile(unfinished);
  }

  /** The customer a sale names: its server id, the server's id of a customer created here, or that customer's temp id. */
  private customerOf(sale: OfflineSale): string | null {
    if (sale.customerId) return sale.customerId;
    if (!sale.customerClientTempId) return null;
    return this.resolveCustomer(sale.customerClientTempId) ?? sale.customerClientTempId;
  }

  private saleKey(id: string): string {
    return this.cache.identify({ __typename: "Sale", id }) ?? `Sale:${id}`;
  }
}

function isFirstPage(storeFieldName: string): boolean {
  const open = storeFieldName.indexOf("(");
  if (open < 0) return true;
  try {
    const args = JSON.parse(storeFieldName.slice(open + 1, -1)) as { after?: unknown };
    return args.after === undefined || args.after === null;
  } catch {
    return false;
  }
}

function prepend(page: SalePage, refs: Reference[]): SalePage {
  if (!page || !Array.isArray(page.items)) return page;
  const present = new Set(page.items.map((r) => r.__ref));
  const added = refs.filter((r) => !present.has(r.__ref));
  return added.length ? { ...page, items: [...added, ...page.items] } : page;
}
