import autocannon from "autocannon";
import { type BenchSale, type BenchShop, makeSales } from "./workload";

export type TransportName = "rest" | "graphql";

const SYNC_MUTATION = `mutation Sync($sales: [OfflineSaleInput!]!) {
  syncOfflineSales(sales: $sales) { synced { clientTempId serverId orderId status warnings } errors { clientTempId error } }
}`;

/** `shed`: 429 answers waited out and retried (the server sheds load when its sync queue is full). */
type Counts = { created: number; existing: number; errors: number; shed: number };

/** Longest Retry-After the bench waits; the server's own cap is SYNC_RETRY_AFTER_MAX_SECONDS (30 s). */
const MAX_RETRY_AFTER_S = 30;

/** A request body, serialised before the clock starts so the client's own work is not measured. */
export type PreparedRequest = { transport: TransportName; body: string; sales: number };

export function prepareRequest(transport: TransportName, sales: BenchSale[]): PreparedRequest {
  const body = transport === "rest" ? JSON.stringify({ sales }) : JSON.stringify({ query: SYNC_MUTATION, variables: { sales } });
  return { transport, body, sales: sales.length };
}

export function headersOf(shop: BenchShop): Record<string, string> {
  return { "content-type": "application/json", authorization: `Bearer ${shop.token}`, "x-shop-id": shop.shopId };
}

/**
 * One request, as a till sends it: a 429 is waited out for its Retry-After and sent again (the time
 * counts in the figure, as it does for a till); any other answer but 200 fails the run.
 */
export async function send(baseUrl: string, shop: BenchShop, request: PreparedRequest): Promise<Counts> {
  const path = request.transport === "rest" ? "/api/pos/sync" : "/graphql";
  let shed = 0;
  let res = await fetch(`${baseUrl}${path}`, { method: "POST", headers: headersOf(shop), body: request.body });
  let text = await res.text();
  while (res.status === 429) {
    shed++;
    const wait = Math.min(MAX_RETRY_AFTER_S, Number(res.headers.get("retry-after")) || 1);
    await new Promise((r) => setTimeout(r, wait * 1000));
    res = await fetch(`${baseUrl}${path}`, { method: "POST", headers: headersOf(shop), body: request.body });
    text = await res.text();
  }
  if (res.status !== 200) throw new Error(`${request.transport} answered ${res.status}: ${text.slice(0, 300)}`);
  const parsed = JSON.parse(text) as {
    synced?: { status: string }[];
    errors?: unknown[];
    data?: { syncOfflineSales: { synced: { status: string }[]; errors: unknown[] } };
  };
  const result = request.transport === "rest" ? parsed : parsed.data?.syncOfflineSales;
  if (!result?.synced || !result.errors) throw new Error(`${request.transport} answered without a result: ${text.slice(0, 300)}`);
  const created = result.synced.filter((s) => s.status.toLowerCase() === "created").length;
  return { created, existing: result.synced.length - created, errors: result.errors.length, shed };
}

/**
 * Sends the requests with `concurrency` tills, each one request at a time; returns sales/s and
 * the outcome counts (the caller checks they are what the batch should have produced).
 */
export async function throughput(
  baseUrl: string,
  shop: BenchShop,
  requests: PreparedRequest[],
  concurrency = 1,
): Promise<{ salesPerSecond: number; counts: Counts; seconds: number }> {
  const counts: Counts = { created: 0, existing: 0, errors: 0, shed: 0 };
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        const c = await send(baseUrl, shop, requests[next++]);
        counts.created += c.created;
        counts.existing += c.existing;
        counts.errors += c.errors;
        counts.shed += c.shed;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const sales = requests.reduce((n, r) => n + r.sales, 0);
  return { salesPerSecond: sales / seconds, counts, seconds };
}

export type LatencyResult = {
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  requestsPerSecond: number;
  non2xx: number;
  errors: number;
  timeouts: number;
};

/**
 * One new sale per request from `connections` tills at once, for `seconds`, over REST. Connection
 * k is a till of `shops[k % shops.length]` for the whole run (one shop: every till shares that
 * shop and its credential; many: a shop each; a till credential each: shops of tills.ts).
 */
export async function oneSaleLatency(baseUrl: string, shops: BenchShop[], connections: number, seconds: number): Promise<LatencyResult> {
  const perPool = Math.ceil(40_000 / Math.min(shops.length, connections));
  const pools = shops.map((shop) => ({ headers: headersOf(shop), bodies: makeSales(shop, perPool).map((s) => JSON.stringify({ sales: [s] })), next: 0 }));
  let connection = 0;
  let reused = false;
  const times: number[] = [];
  let finish!: (value: autocannon.Result) => void;
  let fail!: (error: unknown) => void;
  const done = new Promise<autocannon.Result>((res, rej) => ((finish = res), (fail = rej)));
  const instance = autocannon({
    url: baseUrl,
    connections,
    duration: seconds,
    requests: [
      {
        method: "POST",
        path: "/api/pos/sync",
        // autocannon's context is per connection: it keeps the connection's pool (its till).
        setupRequest: (req, context: { pool?: (typeof pools)[number] }) => {
          const pool = (context.pool ??= pools[connection++ % pools.length]);
          if (pool.next >= pool.bodies.length) reused = true;
          return { ...req, headers: pool.headers, body: pool.bodies[pool.next++ % pool.bodies.length] };
        },
      },
    ],
  }, (error, result) => (error ? fail(error) : finish(result)));
  instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => times.push(responseTime));
  const result = await done;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
  if (reused) throw new Error("latency run reused sales; enlarge the pool");
  return {
    requests: times.length,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: times[times.length - 1] ?? NaN,
    requestsPerSecond: result.requests.average,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}
