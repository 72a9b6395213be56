import type { ApolloClient } from "@apollo/client/core";
import type { TillCredential } from "../auth/credential-store";
import type { OutboxRecord, PendingRecord } from "../outbox/outbox-record";
import type { EntityRecord } from "../outbox/entity-record";
import type { CustomerInput, RefundLineInput, RefundOptions } from "../record-entities";
import type { SaleInput } from "../record-sale";
import type { PosSyncStatus, StatusListener } from "../status";
import type { SyncReport } from "../sync/sync-engine";

/** What `createPosClient` gives the till. */
export type PosClient = {
  apollo: ApolloClient<unknown>;
  /** Resolves when the persisted cache is restored and the outbox loaded. */
  ready: Promise<void>;
  /** Stores the sale durably, then shows it in the cache. Resolves only once it is on disk. */
  recordSale(sale: SaleInput): Promise<PendingRecord>;
  /**
   * Signs a customer up at the counter, offline too: resolves once stored, with its clientTempId
   * (pass it to recordSale as `customerClientTempId`). Sent before any sale that names it.
   */
  createCustomer(input: CustomerInput): Promise<EntityRecord>;
  /**
   * Refunds units of a sale: this till's (by clientTempId, even still unsent, or by the server id
   * it got) or any of the shop's by its server id. Offline too; resolves once stored. Sent no
   * earlier than its sale; `restock` (default true) puts the units back in stock.
   */
  refundSale(saleId: string, lines: RefundLineInput[], options?: RefundOptions): Promise<EntityRecord>;
  /** The customers and refunds of the outbox (synced ones until pruned). */
  entityRecords(): EntityRecord[];
  sync(): Promise<SyncReport>;
  /** Pulls the catalogue's changes now; resolves true once current, false when the server could not be asked. */
  refreshCatalog(): Promise<boolean>;
  /** Sales not yet on the server (pending, syncing, failed), in recorded order. */
  pendingSales(): OutboxRecord[];
  /** Every record of the outbox, synced ones included until pruned. */
  outboxRecords(): OutboxRecord[];
  /** Writes the persisted Apollo cache to storage now, instead of after the debounce. */
  flushCache(): Promise<void>;
  /** Bytes the outbox occupies in storage. */
  outboxBytes(): number;
  status(): PosSyncStatus;
  subscribe(listener: StatusListener): () => void;
  /** Sends a failed sale again on the next sync (which starts at once). */
  retry(clientTempId: string): Promise<void>;
  /**
   * Drops a failed or pending sale (or a synced record) from the outbox and the cache. Rejects with
   * `SaleInFlightError`, keeping the sale, if it is in a sync request at that moment.
   */
  discard(clientTempId: string): Promise<void>;
  /**
   * With `auth`: stores a new credential (the till paired again after `authRequired`), then syncs,
   * which ends the pause; the outbox was kept meanwhile. Rejects without the `auth` option.
   */
  setCredential(credential: TillCredential): Promise<void>;
  /**
   * With `auth`: ends the sign-in on the server when it can be reached and forgets it here in any
   * case (`authRequired` is then set). The outbox is kept. Rejects without the `auth` option.
   */
  signOut(): Promise<void>;
  /**
   * Stops syncing, persists the cache once more and stops the Apollo client. It does not close the
   * `storage` you passed in: you opened it, you close it (after `dispose()` resolves).
   */
  dispose(): Promise<void>;
};

/** `discard()` of a sale that is in a sync request right now: it was kept; discard it after the sync. */
export class SaleInFlightError extends Error {
  constructor(readonly clientTempId: string) {
    super(`sale ${clientTempId} is being sent right now and was kept; discard it after the sync`);
    this.name = "SaleInFlightError";
  }
}
