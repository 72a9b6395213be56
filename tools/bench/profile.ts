import "reflect-metadata";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../server/src/db/data-source";
import { loadBenchConfig } from "./bench-config";
import { createFreshDatabase } from "./bench-database";
import { type TransportName, oneSaleLatency, prepareRequest, throughput } from "./http-runs";
import { startServerProcess } from "./server-process";
import { batchesOf, makeSales, seedBenchShop } from "./workload";

/**
 * `node tools/dist/tools/bench/profile.js <rest|graphql> <batch> [replay|latency|latency-shops]`: one scenario against the
 * server child started with --cpu-prof, then the functions with the most self time. This is how
 * the hot path was tuned; it is not part of `npm run bench`.
 */
type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };

async function main(): Promise<void> {
  const [transport = "rest", batch = "500", mode = "new"] = process.argv.slice(2) as [TransportName?, string?, string?];
  const bench = loadBenchConfig();
  const fresh = await createFreshDatabase(bench.adminUrl);
  const dir = mkdtempSync(join(tmpdir(), "possync-prof-"));
  const secret = randomBytes(24).toString("hex");
  try {
    const server = await startServerProcess({ databaseUrl: fresh.url, jwtSecret: secret, cpuProfileDir: dir });
    const admin = await openDatabase({ kind: "server", url: fresh.url, poolSize: 2 });
    const shop = await seedBenchShop(admin.dataSource, secret);
    if (mode === "latency" || mode === "latency-shops") {
      const shops = [shop];
      if (mode === "latency-shops") for (let i = 1; i < 32; i++) shops.push(await seedBenchShop(admin.dataSource, secret, 100));
      const r = await oneSaleLatency(server.url, shops, 32, 10);
      process.stdout.write(`latency: ${JSON.stringify(r)}\n`);
    }
    const size = Number(batch);
    const requests = batchesOf(makeSales(shop, 10_000), size).map((b) => prepareRequest(transport, b));
    const first = await throughput(server.url, shop, requests);
    process.stdout.write(`${transport} batch ${size} new: ${Math.round(first.salesPerSecond)} sales/s\n`);
    for (let round = 0; mode === "replay" && round < 5; round++) {
      const again = await throughput(server.url, shop, requests);
      process.stdout.write(`${transport} batch ${size} replay: ${Math.round(again.salesPerSecond)} sales/s\n`);
    }
    await server.stop();
    await admin.close();
    const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"))!;
    printTop(JSON.parse(readFileSync(join(dir, file), "utf8")));
    process.stdout.write(`profile: ${join(dir, file)}\n`);
  } finally {
    await fresh.drop();
  }
}

function printTop(profile: { nodes: Node[]; samples: number[]; timeDeltas: number[] }): void {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFrame = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    total += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url.replace(/^.*node_modules\//, "").replace(/^.*\/server\/dist\//, "server/");
    byFrame.set(`${functionName || "(anonymous)"} ${where}:${lineNumber}`, (byFrame.get(`${functionName || "(anonymous)"} ${where}:${lineNumber}`) ?? 0) + us);
    const pkg = url.includes("node_modules/") ? url.replace(/^.*node_modules\//, "").split("/").slice(0, url.includes("node_modules/@") ? 2 : 1).join("/") : url.startsWith("node:") ? "node:internal" : url ? "server" : functionName;
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `  ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`).join("\n");
  process.stdout.write(`self time by package:\n${top(byPackage, 15)}\nself time by function:\n${top(byFrame, 30)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
