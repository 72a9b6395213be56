import { useEffect, useState, useSyncExternalStore } from "react";
import { IndexedDbStorage, type PosClient, type PosSyncStatus, createPosClient } from "@pos-sync/client";
import type { Session } from "./session";

export type PosClientState = { kind: "opening" } | { kind: "open"; pos: PosClient } | { kind: "failed"; error: string };

/**
 * One POS client per session: opened over IndexedDB (the outbox and the persisted cache), ready
 * before the till renders so the first query is answered from the restored cache; disposed when
 * the session ends.
 */
export function usePosClient(session: Session): PosClientState {
  const [state, setState] = useState<PosClientState>({ kind: "opening" });
  useEffect(() => {
    let closed = false;
    let release: Promise<void> | null = null;
    let opened: { pos: PosClient; storage: IndexedDbStorage } | null = null;
    // dispose() persists the cache and stops the client; the storage is ours to close, after it.
    const close = () => {
      release ??= opened ? opened.pos.dispose().finally(() => opened?.storage.close()) : null;
    };
    setState({ kind: "opening" });
    (async () => {
      const storage = await IndexedDbStorage.open("pos-sync");
      const pos = createPosClient({
        uri: new URL("/graphql", window.location.href).href,
        shopId: session.shopId,
        getToken: () => session.token,
        storage,
      });
      opened = { pos, storage };
      if (closed) return close();
      await pos.ready;
      if (!closed) setState({ kind: "open", pos });
    })().catch((error: unknown) => {
      if (!closed) setState({ kind: "failed", error: error instanceof Error ? error.message : String(error) });
    });
    return () => {
      closed = true;
      close();
    };
  }, [session]);
  return state;
}

/** The client's sync status, re-rendering on every change. */
export function useSyncStatus(pos: PosClient): PosSyncStatus {
  return useSyncExternalStore(pos.subscribe, pos.status);
}
