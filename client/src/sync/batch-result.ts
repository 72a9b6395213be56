/** What the server answered but could not take now (a retryable error, or left out of the answer). */
export type Later = { ids: string[]; error: string | null; attempts: number };

/** The outcome of one sync request, for the drain loop: sales, customers and refunds alike. */
export type BatchResult =
  | { kind: "ok"; synced: number; failed: number; later: Later }
  | { kind: "retry"; error: string; retryAfterMs?: number; reachedServer: boolean }
  | { kind: "auth"; error: string };

export const NONE_LATER: Later = { ids: [], error: null, attempts: 0 };

export function joinLater(a: Later, b: Later): Later {
  if (b.ids.length === 0) return a;
  if (a.ids.length === 0) return b;
  return { ids: [...a.ids, ...b.ids], error: b.error ?? a.error, attempts: Math.max(a.attempts, b.attempts) };
}

export function pauseMessage({ status, message }: { status?: number; message: string }): string {
  return status === undefined || message.includes(String(status)) ? message : `HTTP ${status}: ${message}`;
}
