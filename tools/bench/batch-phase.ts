import { Client } from "pg";
import type { BenchContext } from "./bench-context";
import { type PreparedRequest, type TransportName, prepareRequest, throughput } from "./http-runs";
import { rawBatch, rawReplayBatch } from "./raw-sql";
import { fmt } from "./report";
import { interleaved, limitRow, median, ratioRow } from "./rounds";
import { type BenchShop, type RawSaleRows, batchesOf, makeSales, rawRowsOf, seedBenchShop } from "./workload";

const BATCH_SIZES = [100, 500, 1000] as const;
const TRANSPORTS: TransportName[] = ["rest", "graphql"];
const WARMUP_BATCHES = 2;
/** The issue's goals at batch 500 (median ratio to the raw set-based batch); other sizes are informational. */
const GOAL_AT_500: Record<TransportName, number> = { rest: 0.85, graphql: 0.8 };
const GOAL_REPLAY = 0.7;
const REPLAY_BATCH = 1000;

const label = (t: TransportName) => (t === "rest" ? "REST" : "GraphQL");

/** What the later phases need from this one: the raw set-based rate at 500 (the storm's yardstick). */
export type BatchFigures = { rawAt500: number[] };

type Shops = { raw: BenchShop; server: BenchShop };

/**
 * Batches of 100, 500 and 1,000 new sales from one till: per size, interleaved rounds of the raw
 * set-based limit (a second shop of the same shape, so neither run's rows are the other's), REST
 * and GraphQL; then the replay of synced batches of 1,000 against the read-only raw replay.
 */
export async function measureBatches(ctx: BenchContext): Promise<BatchFigures> {
  const shops: Shops = { raw: await seedBenchShop(ctx.admin, ctx.jwtSecret), server: await seedBenchShop(ctx.admin, ctx.jwtSecret) };
  const client = new Client({ connectionString: ctx.databaseUrl });
  await client.connect();
  try {
    const written = { raw: [] as RawSaleRows[], rest: [] as PreparedRequest[] };
    const rates = new Map<number, Map<string, number[]>>();
    for (const size of BATCH_SIZES) rates.set(size, await measureSize(ctx, client, shops, size, written));
    for (const size of BATCH_SIZES) ctx.rows.push(limitRow(`Raw SQL limit (pg, set-based, 5 statements), batch ${size}`, rates.get(size)!.get("raw")!));
    for (const transport of TRANSPORTS) {
      for (const size of BATCH_SIZES) {
        const r = rates.get(size)!;
        const goal = size === 500 ? GOAL_AT_500[transport] : undefined;
        ctx.rows.push(ratioRow(`${label(transport)}, batch ${size}, new sales`, r.get(transport)!, r.get("raw")!, goal, "raw set-based"));
      }
    }
    await measureReplay(ctx, client, shops, written.raw, written.rest);
    return { rawAt500: rates.get(500)!.get("raw")! };
  } finally {
    await client.end();
  }
}

async function measureSize(
  ctx: BenchContext,
  client: Client,
  shops: Shops,
  size: number,
  written: { raw: RawSaleRows[]; rest: PreparedRequest[] },
): Promise<Map<string, number[]>> {
  const rawRun = async (count: number) => {
    const sales = makeSales(shops.raw, count).map(rawRowsOf);
    const started = process.hrtime.bigint();
    for (const batch of batchesOf(sales, size)) await rawBatch(client, shops.raw, batch);
    if (size === REPLAY_BATCH) written.raw = sales;
    return count / (Number(process.hrtime.bigint() - started) / 1e9);
  };
  const httpRun = async (transport: TransportName, count: number) => {
    const requests = batchesOf(makeSales(shops.server, count), size).map((b) => prepareRequest(transport, b));
    const run = await throughput(ctx.url, shops.server, requests);
    if (run.counts.created !== count) throw new Error(`${transport} ${size}: expected all created, got ${JSON.stringify(run.counts)}`);
    if (transport === "rest" && size === REPLAY_BATCH) written.rest = requests;
    return run.salesPerSecond;
  };
  await rawRun(size * WARMUP_BATCHES);
  for (const transport of TRANSPORTS) await httpRun(transport, size * WARMUP_BATCHES);
  const n = ctx.scale.salesPerMeasure;
  const rates = await interleaved(ctx.scale.rounds, [
    { name: "raw", run: () => rawRun(n) },
    ...TRANSPORTS.map((t) => ({ name: t, run: () => httpRun(t, n) })),
  ]);
  ctx.log(`batch ${size}: ${[...rates].map(([name, v]) => `${name} ${fmt.rate(median(v))}`).join(", ")}`);
  return rates;
}

/**
 * The same number of already-synced sales replayed both ways, interleaved: the raw read of the
 * raw shop's last measured batch-1,000 run, and REST resending the server shop's last one (every
 * sale answered `existing`).
 */
async function measureReplay(ctx: BenchContext, client: Client, shops: Shops, rawWritten: RawSaleRows[], synced: PreparedRequest[]): Promise<void> {
  const sales = synced.reduce((n, r) => n + r.sales, 0);
  if (rawWritten.length !== sales) throw new Error(`replay: ${rawWritten.length} raw sales against ${sales} REST ones`);
  const rawRun = async () => {
    const started = process.hrtime.bigint();
    let answered = 0;
    for (const batch of batchesOf(rawWritten, REPLAY_BATCH)) answered += await rawReplayBatch(client, shops.raw, batch);
    if (answered !== sales) throw new Error(`raw replay answered ${answered} of ${sales}`);
    return sales / (Number(process.hrtime.bigint() - started) / 1e9);
  };
  const restRun = async () => {
    const run = await throughput(ctx.url, shops.server, synced);
    if (run.counts.existing !== sales) throw new Error(`replay: expected all existing, got ${JSON.stringify(run.counts)}`);
    return run.salesPerSecond;
  };
  await rawRun();
  await restRun();
  const rates = await interleaved(ctx.scale.replayRounds, [
    { name: "raw", run: rawRun },
    { name: "rest", run: restRun },
  ]);
  ctx.rows.push(limitRow(`Raw SQL limit, replay of a synced batch of ${REPLAY_BATCH} (one read, no transaction)`, rates.get("raw")!));
  ctx.rows.push(ratioRow(`Replay of synced sales (REST, batch ${REPLAY_BATCH})`, rates.get("rest")!, rates.get("raw")!, GOAL_REPLAY, "raw replay"));
  ctx.log(`replay: raw ${fmt.rate(median(rates.get("raw")!))}, REST ${fmt.rate(median(rates.get("rest")!))}`);
}
