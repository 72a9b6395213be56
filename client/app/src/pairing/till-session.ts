import type { PairTillAnswer } from "@pos-sync/client";
import type { AppStore } from "../app-store";

/**
 * Which till this browser is: what pairing answered, without the tokens (the client package keeps
 * the till's credential in its own storage). Kept in IndexedDB so a reload, offline too, reopens it.
 */
export type TillSession = { tillId: string; code: string; name: string; shopId: string; shopName: string };

const KEY = "session";

export function sessionOf(answer: PairTillAnswer): TillSession {
  const { id, code, name, shopId, shopName } = answer.till;
  return { tillId: id, code, name, shopId, shopName };
}

export function loadSession(store: AppStore): Promise<TillSession | null> {
  return store.read(KEY, isSession);
}

export function saveSession(store: AppStore, session: TillSession): Promise<void> {
  return store.write(KEY, session);
}

export function clearSession(store: AppStore): Promise<void> {
  return store.remove(KEY);
}

function isSession(value: unknown): value is TillSession {
  const v = value as Partial<TillSession> | null;
  return typeof v?.tillId === "string" && typeof v.shopId === "string" && typeof v.code === "string" && typeof v.name === "string" && typeof v.shopName === "string";
}
