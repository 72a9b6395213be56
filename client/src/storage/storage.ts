/**
 * The one small interface every durable store implements. It is the shape of apollo3-cache-persist's
 * `PersistentStorage<string>`, so a single adapter serves both the outbox and the persisted cache.
 *
 * Contract: `setItem` resolves only once the value is durable, and replaces the previous value
 * atomically: a reader (or a process restarted after a crash) sees the old value or the new one,
 * never a mix. `getItem` answers null for a key that was never written or was removed.
 */
export interface KeyValueStorage {
  getItem(key: string): Promise<string | null>;
  setItem(key: string, value: string): Promise<void>;
  removeItem(key: string): Promise<void>;
  /**
   * Optional: names the underlying store when two instances can open the same one (a directory, a
   * database name). Clients on the same scope share their in-process locks; without it, the
   * storage object itself is the scope.
   */
  readonly lockScope?: string;
}
