import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { type KeyValueStorage, type PosClient, type PosSyncStatus, type TillCredential, createPosClient } from "@pos-sync/client";
import type { TillSession } from "./pairing/till-session";

export type PosClientState = { kind: "opening" } | { kind: "open"; pos: PosClient } | { kind: "failed"; error: string };

/** The till's GraphQL endpoint; the sign-in routes (`/api/...`) are beside it, where the client looks for them. */
export const GRAPHQL_URL = () => new URL("/graphql", window.location.href).href;
export const SERVER_URL = () => new URL("/", window.location.href).href;

/**
 * One POS client per paired till, over the app's IndexedDB storage (outbox, persisted cache and the
 * till's credential, which the client refreshes by itself). `credential` is the pairing's answer on
 * the first open only; later opens use the stored one. The till's id and code number its receipts.
 * Ready before the till renders, so the first query is answered from the restored cache; disposed
 * when the till is paired anew or closes (the storage stays open: the app owns it).
 */
export function usePosClient(storage: KeyValueStorage, session: TillSession, credential?: TillCredential): PosClientState {
  const { shopId, tillId, code } = session;
  const [state, setState] = useState<PosClientState>({ kind: "opening" });
  const firstCredential = useRef(credential);
  useEffect(() => {
    let closed = false;
    const pos = createPosClient({ uri: GRAPHQL_URL(), shopId, storage, till: { id: tillId, code }, auth: { credential: firstCredential.current } });
    firstCredential.current = undefined;
    setState({ kind: "opening" });
    pos.ready.then(
      () => !closed && setState({ kind: "open", pos }),
      (error: unknown) => !closed && setState({ kind: "failed", error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      closed = true;
      pos.dispose().catch(() => undefined);
    };
  }, [storage, shopId, tillId, code]);
  return state;
}

/** The client's sync status, re-rendering on every change. */
export function useSyncStatus(pos: PosClient): PosSyncStatus {
  return useSyncExternalStore(pos.subscribe, pos.status);
}
