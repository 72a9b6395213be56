import type { BenchContext } from "./bench-context";
import { prepareRequest, throughput } from "./http-runs";
import { fmt } from "./report";
import type { ServerProcess } from "./server-process";
import { batchesOf, makeSales, seedBenchShop } from "./workload";

const TARGET_RSS_MB = 300;
const TILLS = 4;

/** The server's RSS, sampled every 25 ms from /proc, while 100,000 sales arrive in batches of 1,000 from 4 tills at once. */
export async function measureMemory(ctx: BenchContext, server: ServerProcess): Promise<void> {
  const shop = await seedBenchShop(ctx.admin, ctx.jwtSecret);
  const count = ctx.scale.memorySales;
  const requests = batchesOf(makeSales(shop, count), 1000).map((b) => prepareRequest("rest", b));
  const before = server.memory().rssMb;
  const sampler = server.sampleRss(25);
  const run = await throughput(server.url, shop, requests, TILLS);
  const peak = sampler.stop();
  if (run.counts.created !== count) throw new Error(`memory run: expected all created, got ${JSON.stringify(run.counts)}`);
  ctx.rows.push({
    figure: `Peak server RSS, ${count.toLocaleString("en-US")} sales in batches of 1,000 (${TILLS} tills at once)`,
    value: `${fmt.mb(peak)} (${fmt.mb(before)} before; ${fmt.rate(run.salesPerSecond)}, ${run.counts.shed} 429s waited out)`,
    target: `< ${TARGET_RSS_MB} MB`,
    met: peak < TARGET_RSS_MB,
  });
  ctx.log(`memory: peak ${fmt.mb(peak)}, before ${fmt.mb(before)}, whole-run VmHWM ${fmt.mb(server.memory().peakMb)}`);
}
