import type { BenchContext } from "./bench-context";
import { type PreparedRequest, prepareRequest, send } from "./http-runs";
import { fmt } from "./report";
import { interleaved, limitRow, median, ratioRow } from "./rounds";
import { pairBenchTills } from "./tills";
import { type BenchSale, type BenchShop, makeSales, seedBenchShop } from "./workload";

/**
 * Hot products: one shop of 16 products, so every sale's three products are wanted by many tills
 * at once (their rows and their low-stock notifications are the hot rows). Each request is a batch
 * of 10: 7 new sales and 3 resent from the till's previous batch (30% replays, as a till does that
 * lost a response). The same total work from 4 concurrent tills and from 32, interleaved; the goal
 * is that 32 tills keep 90% of the 4 tills' sales/s: adding tills must not make the shop slower.
 * Every till uses its own paired-till credential (tills.ts).
 */
const PRODUCTS = 16;
const BATCH = 10;
const REPLAYS = 3;
const FEW = 4;
const MANY = 32;
const GOAL = 0.9;

type Till = { shop: BenchShop; lastBatch: BenchSale[] };
type HotRun = { salesPerSecond: number; p50: number; p99: number; shed: number };

export async function measureHotProducts(ctx: BenchContext): Promise<void> {
  const shop = await seedBenchShop(ctx.admin, ctx.jwtSecret, PRODUCTS);
  const tills: Till[] = (await pairBenchTills(ctx.admin, ctx.jwtSecret, shop, MANY)).map((s) => ({ shop: s, lastBatch: [] }));
  // Before the clock: each till syncs one batch, so its first measured batch has sales to resend.
  await Promise.all(tills.map(async (t) => {
    t.lastBatch = makeSales(t.shop, BATCH);
    const c = await send(ctx.url, t.shop, prepareRequest("rest", t.lastBatch));
    if (c.created !== BATCH) throw new Error(`hot products warm-up: ${JSON.stringify(c)}`);
  }));
  const requests = Math.max(MANY, Math.round(ctx.scale.hotSales / BATCH / MANY) * MANY);
  const runs = new Map<number, HotRun[]>([[FEW, []], [MANY, []]]);
  const run = async (count: number) => {
    const r = await hotRun(ctx.url, tills.slice(0, count), requests);
    runs.get(count)!.push(r);
    return r.salesPerSecond;
  };
  const rates = await interleaved(ctx.scale.rounds, [
    { name: "few", run: () => run(FEW) },
    { name: "many", run: () => run(MANY) },
  ]);
  const latency = (count: number) => {
    const r = runs.get(count)!;
    return `; request p50 ${fmt.ms(median(r.map((x) => x.p50)))}, p99 ${fmt.ms(median(r.map((x) => x.p99)))}; ${r.reduce((n, x) => n + x.shed, 0)} 429s waited out`;
  };
  const figure = (count: number) =>
    `Hot products: ${requests * BATCH} sales in batches of ${BATCH} (30% replays), one shop of ${PRODUCTS} products, ${count} tills at once (a credential each, REST)`;
  const few = limitRow(figure(FEW), rates.get("few")!);
  const many = ratioRow(figure(MANY), rates.get("many")!, rates.get("few")!, GOAL, `${FEW} tills`);
  ctx.rows.push({ ...few, value: few.value + latency(FEW) }, { ...many, value: many.value + latency(MANY) });
  ctx.log(`hot products: ${FEW} tills ${fmt.rate(median(rates.get("few")!))}, ${MANY} tills ${fmt.rate(median(rates.get("many")!))}`);
}

/**
 * `requests` batches shared out evenly over `tills`, each till sending its own one at a time;
 * the bodies are made before the clock starts. Checks that exactly the new sales were created.
 */
async function hotRun(url: string, tills: Till[], requests: number): Promise<HotRun> {
  const perTill = requests / tills.length;
  const plans = tills.map((t) => planFor(t, perTill));
  const times: number[] = [];
  const counts = { created: 0, existing: 0, errors: 0 };
  let shed = 0;
  const started = process.hrtime.bigint();
  await Promise.all(tills.map(async (t, k) => {
    for (const request of plans[k]) {
      const sent = process.hrtime.bigint();
      const c = await send(url, t.shop, request);
      times.push(Number(process.hrtime.bigint() - sent) / 1e6);
      counts.created += c.created;
      counts.existing += c.existing;
      counts.errors += c.errors;
      shed += c.shed;
    }
  }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const expected = { created: requests * (BATCH - REPLAYS), existing: requests * REPLAYS, errors: 0 };
  if (JSON.stringify(counts) !== JSON.stringify(expected)) throw new Error(`hot products: expected ${JSON.stringify(expected)}, got ${JSON.stringify(counts)}`);
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { salesPerSecond: (requests * BATCH) / seconds, p50: at(0.5), p99: at(0.99), shed };
}

/** A till's batches: each resends 3 sales of the one before (the first, of the till's warm-up batch). */
function planFor(till: Till, batches: number): PreparedRequest[] {
  const plan: PreparedRequest[] = [];
  let previous = till.lastBatch;
  for (let i = 0; i < batches; i++) {
    const fresh = makeSales(till.shop, BATCH - REPLAYS);
    plan.push(prepareRequest("rest", [...fresh.slice(0, 4), ...previous.slice(0, REPLAYS), ...fresh.slice(4)]));
    previous = fresh;
  }
  return plan;
}
