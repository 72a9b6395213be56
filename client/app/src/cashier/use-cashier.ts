import { useCallback, useEffect, useState } from "react";
import type { AppStore } from "../app-store";
import { type Cashier, loadCashier, saveCashier } from "./staff-store";

export type CashierState = { loaded: boolean; current: Cashier | null; set: (next: Cashier | null) => Promise<void> };

/** Who is selling on this till now: kept in IndexedDB, so a reload does not ask for the PIN again. */
export function useCashier(store: AppStore, shopId: string): CashierState {
  const [current, setCurrent] = useState<Cashier | null>(null);
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    loadCashier(store, shopId).then(
      (stored) => (setCurrent(stored), setLoaded(true)),
      () => setLoaded(true),
    );
  }, [store, shopId]);
  const set = useCallback(
    async (next: Cashier | null) => {
      await saveCashier(store, shopId, next);
      setCurrent(next);
    },
    [store, shopId],
  );
  return { loaded, current, set };
}
