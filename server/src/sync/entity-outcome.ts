import type { RejectionCode, SyncStatus } from "./sync.types";

/**
 * The outcome of one customer or refund of a sync: the same shape as a sale's (without an order
 * number). Expected failures are results, never exceptions.
 */
export type EntityKind = "customer" | "refund";

export type EntityOutcome =
  | { kind: "synced"; clientTempId: string; serverId: string; status: SyncStatus; warnings: string[] }
  | { kind: "error"; clientTempId: string | null; error: string; retryable: boolean; code: RejectionCode };

export type SyncedEntity = Extract<EntityOutcome, { kind: "synced" }>;
export type FailedEntity = Extract<EntityOutcome, { kind: "error" }>;
export type EntityResult = { synced: SyncedEntity[]; errors: FailedEntity[] };

/** What a clientTempId seen before was recorded as, with the fingerprint of its payload. */
export type StoredEntity = { clientTempId: string; serverId: string; fingerprint: string };

/**
 * The replay rule of sales (replay.ts), for customers and refunds: the same payload is a retry and
 * gets `existing` with the same serverId, writing nothing; another payload under a used id is refused.
 */
export function answerEntityReplay(kind: EntityKind, clientTempId: string, fingerprint: string, original: StoredEntity): EntityOutcome {
  if (fingerprint !== original.fingerprint) {
    const error = `clientTempId ${clientTempId} was already used for a different ${kind}; the original was kept unchanged`;
    return { kind: "error", clientTempId, error, retryable: false, code: "CLIENT_TEMP_ID_REUSED" };
  }
  return { kind: "synced", clientTempId, serverId: original.serverId, status: "existing", warnings: [] };
}

/** The answer to the same clientTempId sent twice in one request: the first one's, as a replay. */
export function answerInRequestDuplicate(kind: EntityKind, clientTempId: string, fingerprint: string, firstFingerprint: string, first: EntityOutcome): EntityOutcome {
  if (fingerprint !== firstFingerprint) return answerEntityReplay(kind, clientTempId, fingerprint, { clientTempId, serverId: "", fingerprint: firstFingerprint });
  return first.kind === "synced" ? { ...first, clientTempId, status: "existing", warnings: [] } : first;
}

export function summariseEntities(outcomes: EntityOutcome[]): EntityResult {
  const result: EntityResult = { synced: [], errors: [] };
  for (const o of outcomes) {
    if (o.kind === "synced") result.synced.push(o);
    else result.errors.push(o);
  }
  return result;
}
