/**
 * How often the primary replaces workers that died. A worker that crashes now and then is
 * replaced at once; one that keeps crashing (a bad deployment, a database that refuses every new
 * connection) is replaced after a growing delay, and past `maxRestarts` within `windowMs` the
 * primary gives up and exits non-zero. A single process would have exited on its first crash, so
 * giving up hands the problem to the process supervisor (systemd, Kubernetes) where it is visible,
 * instead of spinning forks and hiding a server running on fewer workers.
 */
export type RestartPolicy = { maxRestarts: number; windowMs: number; firstDelayMs: number; maxDelayMs: number };

export const DEFAULT_RESTART_POLICY: RestartPolicy = { maxRestarts: 5, windowMs: 60_000, firstDelayMs: 0, maxDelayMs: 5_000 };

export type RestartBudget = {
  /** The delay before the next restart, counting it; null when the budget is spent. */
  next(now: number): number | null;
};

export function restartBudget(policy: RestartPolicy = DEFAULT_RESTART_POLICY): RestartBudget {
  const recent: number[] = [];
  return {
    next(now) {
      while (recent.length > 0 && recent[0] <= now - policy.windowMs) recent.shift();
      if (recent.length >= policy.maxRestarts) return null;
      // 0 for the first in the window, then 250 ms, 500 ms, 1 s ... up to maxDelayMs.
      const delay = recent.length === 0 ? policy.firstDelayMs : Math.min(policy.maxDelayMs, 125 * 2 ** recent.length);
      recent.push(now);
      return delay;
    },
  };
}
