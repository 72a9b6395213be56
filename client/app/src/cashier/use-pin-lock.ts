import { useCallback, useEffect, useState } from "react";
import type { AppStore } from "../app-store";
import { type PinLock, UNLOCKED, afterRightPin, afterWrongPin, lockRemainingMs } from "./pin-lock";
import { loadPinLock, savePinLock } from "./staff-store";

export type PinLockState = {
  /** False until the stored lock is read: the pad takes no PIN before. */
  loaded: boolean;
  lock: PinLock;
  remainingMs: number;
  /** Records the outcome of one PIN check; resolves once it is stored (a reload keeps it). */
  record: (right: boolean) => Promise<PinLock>;
};

/** The PIN pad's lock, read from and written to IndexedDB, with a countdown while it runs. */
export function usePinLock(store: AppStore): PinLockState {
  const [lock, setLock] = useState<PinLock>(UNLOCKED);
  const [loaded, setLoaded] = useState(false);
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    loadPinLock(store).then((stored) => (setLock(stored), setLoaded(true)), () => setLoaded(true));
  }, [store]);
  const remainingMs = lockRemainingMs(lock, now);
  useEffect(() => {
    if (remainingMs === 0) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.min(1000, remainingMs));
    return () => clearTimeout(timer);
  }, [remainingMs]);
  const record = useCallback(
    async (right: boolean) => {
      const at = Date.now();
      // The stored value, not this tab's: another tab of the till may have failed too.
      const current = await loadPinLock(store);
      const next = right ? afterRightPin(current, at) : afterWrongPin(current, at);
      await savePinLock(store, next);
      setLock(next);
      setNow(at);
      return next;
    },
    [store],
  );
  return { loaded, lock, remainingMs, record };
}
