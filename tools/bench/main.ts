import "reflect-metadata";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, resolve } from "node:path";
import { repoRoot } from "../repo-root";
import { type Database, openDatabase } from "../../server/src/db/data-source";
import { checkInvariants, checkedVolume, describeBroken } from "../../server/src/invariants/check";
import { benchScale, loadBenchConfig } from "./bench-config";
import type { BenchContext } from "./bench-context";
import { createFreshDatabase, postgresVersion } from "./bench-database";
import { measureBatches } from "./batch-phase";
import { measureCatalogFeed } from "./catalog-feed";
import { measureEmbedded } from "./embedded-phase";
import { measureHotProducts } from "./hot-products";
import { measureMemory } from "./memory-phase";
import { measureOneSale } from "./one-sale-phase";
import { type Machine, type Row, markdownReport, textTable } from "./report";
import { startServerProcess } from "./server-process";
import { measureStormPhase } from "./storm-phase";

/**
 * `npm run bench`: every figure through the real HTTP server against a raw limit taken in the
 * same run, in interleaved rounds (rounds.ts); then the invariant checker over everything written.
 * The phases live in their own files; this one starts the server, runs them in order and writes
 * the report (docs/benchmarks.md, explained in docs/benchmarking.md).
 */
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const rows: Row[] = [];
const notes: string[] = [];

async function verdict(database: Database, label: string): Promise<void> {
  const started = Date.now();
  const broken = await checkInvariants(database.dataSource);
  const volume = await checkedVolume(database.dataSource);
  const line =
    broken.length === 0
      ? `Invariant checker on ${label}: all hold (${volume.shops} shops, ${volume.sales.toLocaleString("en-US")} sales, ${volume.items.toLocaleString("en-US")} items, ${volume.products} products, checked in ${Date.now() - started} ms).`
      : `Invariant checker on ${label}: BROKEN ${broken.map(describeBroken).join("; ")}`;
  notes.push(line);
  log(line);
  if (broken.length > 0) process.exitCode = 1;
}

async function machineOf(databaseUrl: string): Promise<Machine> {
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? "unknown CPU",
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.versions.node,
    postgres: await postgresVersion(databaseUrl),
    date: new Date().toISOString().slice(0, 10),
    load: loadavg().map((n) => n.toFixed(1)).join(" "),
  };
}

/** Every PostgreSQL phase against one server child on the fresh database. */
async function postgresPhases(databaseUrl: string, jwtSecret: string, scale: BenchContext["scale"], cpuProfileDir?: string): Promise<void> {
  const server = await startServerProcess({ databaseUrl, jwtSecret, cpuProfileDir });
  const admin = await openDatabase({ kind: "server", url: databaseUrl, poolSize: 2 });
  const ctx: BenchContext = { url: server.url, databaseUrl, admin: admin.dataSource, jwtSecret, scale, rows, notes, log };
  try {
    const batches = await measureBatches(ctx);
    await measureOneSale(ctx);
    await measureHotProducts(ctx);
    // Memory before the storm: the RSS row is about 100,000 sales, not about what 1,000 tills'
    // storm leaves in the heap (the whole run's peak is in the notes).
    await measureMemory(ctx, server);
    await measureStormPhase(ctx, batches.rawAt500);
    await measureCatalogFeed(server.url, admin.dataSource, jwtSecret, rows, log);
    notes.push(`Server process VmHWM over the whole run (all phases): ${Math.round(server.memory().peakMb)} MB.`);
    await server.stop();
    await verdict(admin, `PostgreSQL (${new URL(databaseUrl).pathname.slice(1)})`);
  } finally {
    await server.stop();
    await admin.close();
  }
}

async function main(): Promise<void> {
  const bench = loadBenchConfig();
  const scale = benchScale(bench.quick);
  let finished = false;
  process.on("beforeExit", () => finished || log("event loop emptied before the benchmark finished"));
  const fresh = await createFreshDatabase(bench.adminUrl);
  log(`fresh database ${fresh.name}`);
  const jwtSecret = randomBytes(24).toString("hex");
  const started = Date.now();
  try {
    const machine = await machineOf(fresh.url);
    if (bench.cpuProfileDir) mkdirSync(bench.cpuProfileDir, { recursive: true });
    await postgresPhases(fresh.url, jwtSecret, scale, bench.cpuProfileDir);
    await measureEmbedded({ jwtSecret, scale, rows, notes, log }, verdict);
    notes.push(`Whole run: ${Math.round((Date.now() - started) / 1000)} s; ${scale.rounds} interleaved rounds per figure (${scale.replayRounds} for the replay).`);
    const report = textTable(rows, machine);
    process.stdout.write(`\n${report}\n\n${notes.map((n) => `- ${n}`).join("\n")}\n`);
    if (!bench.quick) {
      const path = resolve(repoRoot(), bench.reportPath);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, markdownReport(rows, machine, notes));
      log(`report written to ${bench.reportPath}`);
    }
    finished = true;
  } finally {
    if (bench.keepDatabase) log(`kept database ${fresh.name}`);
    else await fresh.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
