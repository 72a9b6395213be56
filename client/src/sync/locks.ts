/**
 * Named exclusive locks. Where the Web Locks API exists (`navigator.locks`), the lock is shared by
 * every tab and worker of the origin, so two tabs never write the same outbox page or sync the same
 * queue at once; elsewhere (Node, old browsers) it is shared by every client in this JavaScript
 * realm that uses the same storage (see `LockScope`).
 */
type LockGrantedCallback<T> = (lock: unknown) => Promise<T>;
export type LockManagerLike = {
  request<T>(name: string, options: { ifAvailable?: boolean }, callback: LockGrantedCallback<T>): Promise<T>;
};

export const BUSY = Symbol("busy");

export interface Locks {
  /** Waits for the lock, runs fn, releases. */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Runs fn only if the lock is free right now; otherwise answers BUSY without waiting. */
  ifAvailable<T>(name: string, fn: () => Promise<T>): Promise<T | typeof BUSY>;
}

export function defaultLockManager(): LockManagerLike | undefined {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  return nav?.locks && typeof nav.locks.request === "function" ? nav.locks : undefined;
}

/**
 * What in-process locks are shared by: a storage's `lockScope` string when it has one (a
 * FileStorage's directory: two instances open the same files), else the storage object itself.
 */
export type LockScope = object | string;

export function lockScopeOf(storage: object & { lockScope?: string }): LockScope {
  return typeof storage.lockScope === "string" ? storage.lockScope : storage;
}

export function createLocks(manager: LockManagerLike | undefined = defaultLockManager(), scope: LockScope = DEFAULT_SCOPE): Locks {
  return manager ? webLocks(manager) : inProcessLocks(tableFor(scope));
}

function webLocks(manager: LockManagerLike): Locks {
  return {
    exclusive: (name, fn) => manager.request(name, {}, () => fn()),
    ifAvailable: (name, fn) => manager.request(name, { ifAvailable: true }, async (lock) => (lock ? fn() : BUSY)),
  };
}

/** The locks of one scope: a queue (the tail promise) and whether the lock is held, per name. */
type LockTable = { tails: Map<string, Promise<unknown>>; held: Set<string> };
type Registry = { byObject: WeakMap<object, LockTable>; byName: Map<string, LockTable> };

const DEFAULT_SCOPE = "default";
// On globalThis, not in this module: two copies of the client package in one realm (a bundle that
// holds it twice, a library and the app) must still share one table per storage.
const REGISTRY = Symbol.for("@pos-sync/client:in-process-locks");

function tableFor(scope: LockScope): LockTable {
  const realm = globalThis as { [REGISTRY]?: Registry };
  const registry = (realm[REGISTRY] ??= { byObject: new WeakMap(), byName: new Map() });
  const existing = typeof scope === "string" ? registry.byName.get(scope) : registry.byObject.get(scope);
  if (existing) return existing;
  const table: LockTable = { tails: new Map(), held: new Set() };
  if (typeof scope === "string") registry.byName.set(scope, table);
  else registry.byObject.set(scope, table);
  return table;
}

function inProcessLocks({ tails, held }: LockTable): Locks {
  const run = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const previous = tails.get(name) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    tails.set(name, tail);
    await previous;
    held.add(name);
    try {
      return await fn();
    } finally {
      held.delete(name);
      release();
      if (tails.get(name) === tail) tails.delete(name);
    }
  };
  return {
    exclusive: run,
    ifAvailable: async (name, fn) => (held.has(name) || tails.has(name) ? BUSY : run(name, fn)),
  };
}
