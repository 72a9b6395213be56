import type { Logger } from "pino";

/**
 * At most one line per key per interval: an outage of a dependency that every request touches
 * (the rate-limit store) must not turn into one log line per request. The next line that gets
 * through says how many were held back, so nothing is silently lost from the count.
 */
export type ThrottledLog = (key: string, fields: Record<string, unknown>, message: string) => void;

export function throttledLog(logger: Logger, intervalMs = 10_000, level: "warn" | "error" = "error"): ThrottledLog {
  const last = new Map<string, { at: number; suppressed: number }>();
  return (key, fields, message) => {
    const now = Date.now();
    const seen = last.get(key);
    if (seen && now - seen.at < intervalMs) {
      seen.suppressed++;
      return;
    }
    const suppressed = seen?.suppressed ?? 0;
    last.set(key, { at: now, suppressed: 0 });
    logger[level]({ ...fields, ...(suppressed > 0 ? { suppressed } : {}) }, message);
  };
}
