
/** What the till shows about its connection and queue. */
export type PosSyncStatus = {
  /** The last request reached the server (and the browser does not say it is offline). */
  online: boolean;
  /** A sync is sending batches right now. */
  syncing: boolean;
  /** The server refused the token (401/403): syncing is paused, the queue kept, until `sync()` with a new token. */
  authRequired: boolean;
  /** Recorded, not yet on the server (includes those in a request right now). */
  pending: number;
  /** On the server, still kept in the outbox until the retention ends. */
  synced: number;
  /** Rejected by the server; waiting for `retry()` or `discard()`. */
  failed: number;
  /** The last request-level failure (network, server, auth), cleared by a successful sync. */
  lastError: string | null;
  /** When a sync last finished with nothing left to send (ISO-8601). */
  lastSyncedAt: string | null;
  /** When the next automatic attempt is due after a failure (ISO-8601). */
  nextRetryAt: string | null;
  /** When the stored catalogue was last brought fully up to date (ISO-8601); null before the first pull. */
  catalogSyncedAt: string | null;
  /** The feed position the stored catalogue is at (opaque; changes when the catalogue does). */
  catalogVersion: string | null;
};

export type StatusListener = (status: PosSyncStatus) => void;

/** Holds the status and tells listeners about each change (a listener's throw does not stop the others). */
export class StatusStore {
  private current: PosSyncStatus;
  private readonly listeners = new Set<StatusListener>();

  constructor(online: boolean) {
    this.current = { online, syncing: false, authRequired: false, pending: 0, synced: 0, failed: 0, lastError: null, lastSyncedAt: null, nextRetryAt: null, catalogSyncedAt: null, catalogVersion: null };
  }

  get(): PosSyncStatus {
    return this.current;
  }

  update(change: Partial<PosSyncStatus>): void {
    const next = { ...this.current, ...change };
    const keys = Object.keys(change) as (keyof PosSyncStatus)[];
    if (keys.every((k) => next[k] === this.current[k])) return;
    this.current = next;
    for (const listener of this.listeners) {
      try {
        listener(next);
      } catch {
        // A broken listener must not break recording or syncing.
      }
    }
  }

  subscribe(listener: StatusListener): () => void {
    this.listeners.add(listener);
    listener(this.current);
    return () => this.listeners.delete(listener);
  }
}
