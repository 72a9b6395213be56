import type { PosClient } from "@pos-sync/client";
import { useCallback, useEffect, useState } from "react";
import type { AppStore } from "../app-store";
import { type StaffMember, downloadStaff, loadStaff, saveStaff } from "./staff-store";

export type StaffState = {
  /** null until the cached list is read. */
  staff: StaffMember[] | null;
  /** Why the last download failed (the cached list, if any, is still used). */
  problem: string | null;
  refresh: () => void;
};

/**
 * The shop's staff: the list cached in IndexedDB at once (so the PIN pad works offline), then the
 * server's, downloaded with the till's credential and cached again. Downloaded on open and on
 * every `refresh()` (the PIN pad asks when it is shown, so a PIN a manager just set is picked up).
 */
export function useStaff(pos: PosClient, store: AppStore, shopId: string): StaffState {
  const [staff, setStaff] = useState<StaffMember[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let stale = false;
    loadStaff(store, shopId).then((cached) => !stale && setStaff((known) => known ?? cached ?? []), () => undefined);
    downloadStaff(pos)
      .then(async (fresh) => {
        await saveStaff(store, shopId, fresh);
        if (!stale) (setStaff(fresh), setProblem(null));
      })
      .catch((error: unknown) => !stale && setProblem(error instanceof Error ? error.message : String(error)));
    return () => {
      stale = true;
    };
  }, [pos, store, shopId, round]);
  const refresh = useCallback(() => setRound((n) => n + 1), []);
  return { staff, problem, refresh };
}
