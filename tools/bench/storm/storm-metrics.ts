/**
 * The server's side of the storm, read from its /metrics: the 429s it sent (possync_sync_shed_total,
 * summed over transports) and, sampled while the storm runs, the deepest its sync queue got.
 */
export async function readShedTotal(metricsUrl: string): Promise<number> {
  return sumOf(await scrape(metricsUrl), "possync_sync_shed_total");
}

export function sampleQueueDepth(metricsUrl: string, everyMs = 250): { stop(): Promise<number> } {
  let peak = 0;
  let pending: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    pending = scrape(metricsUrl)
      .then((text) => void (peak = Math.max(peak, sumOf(text, "possync_sync_queued_sales"))))
      .catch(() => undefined);
  }, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await pending;
      return peak;
    },
  };
}

async function scrape(metricsUrl: string): Promise<string> {
  const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`${metricsUrl} answered ${res.status}`);
  return res.text();
}

/** The sum of a metric's samples (every label set), 0 when the server does not have it. */
function sumOf(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(name) || (line[name.length] !== " " && line[name.length] !== "{")) continue;
    const value = Number(line.slice(line.lastIndexOf(" ") + 1));
    if (Number.isFinite(value)) sum += value;
  }
  return sum;
}
