/** Who is using the till: the pasted token and the chosen shop, kept so a reload (offline too) reopens it. */
export type Session = { token: string; shopId: string };

const KEY = "pos-sync:session";
const LAST_SHOP = "pos-sync:last-shop";

export function loadSession(): Session | null {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) ?? "null") as Partial<Session> | null;
    return value && typeof value.token === "string" && typeof value.shopId === "string" ? { token: value.token, shopId: value.shopId } : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  localStorage.setItem(KEY, JSON.stringify(session));
  localStorage.setItem(LAST_SHOP, session.shopId);
}

export function clearSession(): void {
  localStorage.removeItem(KEY);
}

export function lastShopId(): string {
  return localStorage.getItem(LAST_SHOP) ?? "";
}
