/**
 * The PIN pad's lock, as pure rules over a plain value (stored in IndexedDB, so a reload does not
 * reset it): five wrong PINs in a row lock the pad for a minute; a right PIN clears the count.
 * `now` is passed in (ms), so the rules are tested without waiting.
 */
export type PinLock = { failures: number; lockedUntil: number | null };

export const MAX_FAILURES = 5;
export const LOCK_MS = 60_000;
export const UNLOCKED: PinLock = { failures: 0, lockedUntil: null };

/**
 * Milliseconds the pad stays locked from `now`; 0 when it is open. A lock that seems to last more
 * than LOCK_MS means the till's clock was set back: it is over, so a wrong clock never keeps the
 * pad locked for hours.
 */
export function lockRemainingMs(lock: PinLock, now: number): number {
  const remaining = lock.lockedUntil === null ? 0 : lock.lockedUntil - now;
  return remaining > 0 && remaining <= LOCK_MS ? remaining : 0;
}

/** A wrong PIN: one more failure; the fifth locks the pad for LOCK_MS, after which the count starts again. */
export function afterWrongPin(lock: PinLock, now: number): PinLock {
  if (lockRemainingMs(lock, now) > 0) return lock;
  const failures = (lock.lockedUntil === null ? lock.failures : 0) + 1;
  return failures >= MAX_FAILURES ? { failures: 0, lockedUntil: now + LOCK_MS } : { failures, lockedUntil: null };
}

/** A right PIN clears the failures (a lock still running is not lifted by it: the pad refuses input). */
export function afterRightPin(lock: PinLock, now: number): PinLock {
  return lockRemainingMs(lock, now) > 0 ? lock : UNLOCKED;
}

export function isPinLock(value: unknown): value is PinLock {
  const v = value as Partial<PinLock> | null;
  return typeof v?.failures === "number" && (v.lockedUntil === null || typeof v.lockedUntil === "number");
}
