import type { Client } from "pg";
import type { BenchContext } from "./bench-context";
import { type LatencyResult, oneSaleLatency } from "./http-runs";
import { type RawWriter, openClients, rawOneSaleRun } from "./raw-one-sale";
import { type Row, fmt } from "./report";
import { describeRounds, interleaved, limitRow, median, medianRatio, ratioRow } from "./rounds";
import { pairBenchTills } from "./tills";
import { type BenchShop, makeSales, rawRowsOf, seedBenchShop } from "./workload";

const CONNECTIONS = 32;
/** Raw sales made per connection and second of a run (6,400/s over 32): well above what 2 cores write, so none runs dry. */
const RAW_POOL_PER_SECOND = 200;
const GOAL = { shopEach: 0.7, oneShop: 0.8 };

type Shape = {
  label: string;
  /** The server run's shops, connection k a till of shops[k % n] (the goal row: the setup). */
  shops: BenchShop[];
  /** Informational: the same shape with a paired-till credential per connection. */
  tills?: BenchShop[];
  goal: number;
};

/**
 * One new sale per request from 32 tills, through the server (autocannon, REST) against the raw
 * one-statement limit (raw-one-sale.ts) from 32 `pg` connections on the same shape of data,
 * interleaved: raw, server, raw, server, ... Two shapes: a shop each (32 shops of 100 products)
 * and one shop (1,000 products shared by all 32, so product rows are contended). The goal rows
 * are the setup: the shop's cashier token, one per shop (one shop: all 32 tills share it,
 * so the server's group commit applies); the one-shop shape also runs with a till credential each.
 */
export async function measureOneSale(ctx: BenchContext): Promise<void> {
  const shopEach: BenchShop[] = [];
  for (let i = 0; i < CONNECTIONS; i++) shopEach.push(await seedBenchShop(ctx.admin, ctx.jwtSecret, 100));
  const oneShop = await seedBenchShop(ctx.admin, ctx.jwtSecret);
  const tills = await pairBenchTills(ctx.admin, ctx.jwtSecret, oneShop, CONNECTIONS);
  const clients = await openClients(ctx.databaseUrl, CONNECTIONS);
  try {
    const each = await measureShape(ctx, clients, { label: "a shop each", shops: shopEach, goal: GOAL.shopEach });
    const one = await measureShape(ctx, clients, { label: "one shop", shops: [oneShop], tills, goal: GOAL.oneShop });
    ctx.notes.push(
      `One-sale raw limits by shape (medians): a shop each ${fmt.rate(median(each))}, one shop ${fmt.rate(median(one))}. ` +
        "Each server row is compared with the raw limit measured on its own shape in the same rounds.",
    );
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

/** The shape's rounds and rows; returns the raw limit's per-round figures. */
async function measureShape(ctx: BenchContext, clients: Client[], shape: Shape): Promise<number[]> {
  const seconds = ctx.scale.oneSaleSeconds;
  const writers: RawWriter[] = shape.shops.map((shop) => ({ shop, createdBy: shop.userId, tillId: null }));
  const poolSize = RAW_POOL_PER_SECOND * seconds;
  const raw = () => rawOneSaleRun(clients, writers, (k) => makeSales(writers[k % writers.length].shop, poolSize).map(rawRowsOf), seconds);
  // Outside the clock: each connection prepares its statement, the server warms its caches.
  await rawOneSaleRun(clients, writers, (k) => makeSales(writers[k % writers.length].shop, 5).map(rawRowsOf), 1);
  await oneSaleLatency(ctx.url, shape.shops, CONNECTIONS, 1);
  const runs = new Map<string, LatencyResult[]>([["server", []], ["tills", []]]);
  const http = (name: string, shops: BenchShop[]) => async () => {
    const r = await oneSaleLatency(ctx.url, shops, CONNECTIONS, seconds);
    runs.get(name)!.push(r);
    return r.requestsPerSecond;
  };
  const rates = await interleaved(ctx.scale.rounds, [
    { name: "raw", run: async () => (await raw()).salesPerSecond },
    { name: "server", run: http("server", shape.shops) },
    ...(shape.tills ? [{ name: "tills", run: http("tills", shape.tills) }] : []),
  ]);
  const rawRates = rates.get("raw")!;
  ctx.rows.push(limitRow(`Raw SQL limit (pg, one statement per sale, autocommit, ${CONNECTIONS} connections), ${shape.label}`, rawRates));
  const credential = shape.shops.length > 1 ? "the shop's cashier token" : "one shared cashier token";
  ctx.rows.push(latencyRow(`One-sale sync, ${CONNECTIONS} tills, ${shape.label}, ${credential} (REST, autocannon ${seconds} s)`, rates.get("server")!, rawRates, runs.get("server")!, shape.goal));
  if (shape.tills) {
    ctx.rows.push(latencyRow(`One-sale sync, ${CONNECTIONS} tills, ${shape.label}, a till credential each (REST, autocannon ${seconds} s)`, rates.get("tills")!, rawRates, runs.get("tills")!));
  }
  ctx.log(`one sale, ${shape.label}: raw ${fmt.rate(median(rawRates))}, server ${fmt.rate(median(rates.get("server")!))} (${Math.round(100 * medianRatio(rates.get("server")!, rawRates))}%)`);
  return rawRates;
}

/** sales/s against the raw limit, with the median p50/p99 of the rounds; any error fails the goal. */
function latencyRow(figure: string, rates: number[], raw: number[], runs: LatencyResult[], goal?: number): Row {
  const row = ratioRow(figure, rates, raw, goal, "raw one-statement");
  const errors = runs.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0);
  const p = (key: "p50" | "p99") => fmt.ms(median(runs.map((r) => r[key])));
  return {
    ...row,
    value: `${describeRounds(rates)}; p50 ${p("p50")}, p99 ${p("p99")} (medians); ${errors} errors`,
    target: row.target && `${row.target}, no errors`,
    met: row.met === undefined ? undefined : row.met && errors === 0,
  };
}
