/**
 * The network a storm till sees: down (every request fails as a dead network does) until the till
 * comes online, then the real fetch, with every sync answer counted: 429s with the wait they asked
 * for, whether the till's next request came no earlier than that (honoured), 5xx, and the rest.
 */
export type TillNetwork = {
  fetch: typeof fetch;
  goOnline(): void;
  counts: { requests: number; shed: number; honoured: number; longestRetryAfterS: number; status5xx: number; otherFailures: number };
};

/** A request sent this much before the Retry-After ran out still counts as waited (timer granularity). */
const TOLERANCE_MS = 20;

export function tillNetwork(now: () => number = Date.now): TillNetwork {
  let online = false;
  let waitUntil: number | null = null;
  const counts = { requests: 0, shed: 0, honoured: 0, longestRetryAfterS: 0, status5xx: 0, otherFailures: 0 };
  const fetchImpl: typeof fetch = async (input, init) => {
    if (!online) throw new TypeError("fetch failed: the till is offline");
    counts.requests += 1;
    if (waitUntil !== null) {
      if (now() >= waitUntil - TOLERANCE_MS) counts.honoured += 1;
      waitUntil = null;
    }
    let response: Response;
    try {
      response = await fetch(input, init);
    } catch (error) {
      counts.otherFailures += 1;
      throw error;
    }
    count(response);
    return response;
  };
  const count = (response: Response) => {
    if (response.status === 429) {
      const seconds = Number(response.headers.get("retry-after"));
      counts.shed += 1;
      counts.longestRetryAfterS = Math.max(counts.longestRetryAfterS, seconds);
      waitUntil = now() + seconds * 1000;
    } else if (response.status >= 500) counts.status5xx += 1;
    else if (response.status !== 200) counts.otherFailures += 1;
  };
  return { fetch: fetchImpl, goOnline: () => void (online = true), counts };
}
