import { IndexedDbStorage } from "@pos-sync/client";
import { useEffect, useState } from "react";
import { AppStore } from "./app-store";

export type AppStorageState = { kind: "opening" } | { kind: "open"; storage: IndexedDbStorage; store: AppStore } | { kind: "failed"; error: string };

/**
 * The till's one IndexedDB database ("pos-sync"): the client's outbox, cache and credential, and
 * the app's own values beside them. Opened once by the app, which owns it and closes it on unload.
 */
export function useAppStorage(): AppStorageState {
  const [state, setState] = useState<AppStorageState>({ kind: "opening" });
  useEffect(() => {
    let closed = false;
    let opened: IndexedDbStorage | null = null;
    IndexedDbStorage.open("pos-sync").then(
      (storage) => {
        opened = storage;
        if (closed) return storage.close();
        setState({ kind: "open", storage, store: new AppStore(storage) });
      },
      (error: unknown) => !closed && setState({ kind: "failed", error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      closed = true;
      opened?.close();
    };
  }, []);
  return state;
}
