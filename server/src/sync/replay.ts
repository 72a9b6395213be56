import type { PreparedSale } from "./prepared-sale";
import type { SaleOutcome } from "./sync.types";

/**
 * What a clientTempId seen before was answered with: a stored mapping (synced in an earlier
 * request) or the first sale of the same id in this request (or in a coalesced neighbour).
 */
export type Original = { fingerprint: string; outcome: SaleOutcome };

/**
 * The one replay rule, for stored and in-request duplicates alike: the same payload (fingerprint)
 * is a retry and gets the original's answer as `existing`, without writing anything; another
 * payload under a used clientTempId is refused and the original is left untouched.
 */
export function answerReplay(sale: PreparedSale, original: Original): SaleOutcome {
  if (sale.fingerprint !== original.fingerprint) {
    return { kind: "error", clientTempId: sale.clientTempId, error: reusedIdMessage(sale.clientTempId), retryable: false, code: "CLIENT_TEMP_ID_REUSED" };
  }
  switch (original.outcome.kind) {
    case "synced":
      return { ...original.outcome, clientTempId: sale.clientTempId, status: "existing", warnings: [] };
    case "error":
      return original.outcome;
  }
}

/** A mapping row as stored: the sale it created, with the fingerprint of the payload that created it. */
export type StoredMapping = { clientTempId: string; saleId: string; orderId: string; fingerprint: string };

export function storedOriginal(row: StoredMapping): Original {
  return {
    fingerprint: row.fingerprint,
    outcome: { kind: "synced", clientTempId: row.clientTempId, serverId: row.saleId, orderId: row.orderId, status: "created", warnings: [] },
  };
}

export function reusedIdMessage(clientTempId: string): string {
  return `clientTempId ${clientTempId} was already used for a different sale; the original was kept unchanged`;
}
