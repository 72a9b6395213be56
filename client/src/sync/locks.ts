/**
 * Named exclusive locks. Where the Web Locks API exists (`navigator.locks`), the lock is shared by
 * every tab and worker of the origin, so two tabs never write the same outbox page or sync the same
 * queue at once; elsewhere (Node, old browsers) it is held within this JavaScript realm.
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

export function createLocks(manager: LockManagerLike | undefined = defaultLockManager()): Locks {
  return manager ? webLocks(manager) : inProcessLocks();
}

function webLocks(manager: LockManagerLike): Locks {
  return {
    exclusive: (name, fn) => manager.request(name, {}, () => fn()),
    ifAvailable: (name, fn) => manager.request(name, { ifAvailable: true }, async (lock) => (lock ? fn() : BUSY)),
  };
}

function inProcessLocks(): Locks {
  const tails = new Map<string, Promise<unknown>>();
  const held = new Set<string>();
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
