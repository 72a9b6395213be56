/**
 * The benchmark's own settings. Like config/config.ts for the server, this is the only module of
 * the benchmark that reads process.env (the bench is a separate tool, not part of the server).
 */
export type BenchConfig = {
  /** Used only to CREATE and DROP a fresh `possync_bench_<timestamp>` database. */
  adminUrl: string;
  /** Keep the bench database at the end (to inspect it). */
  keepDatabase: boolean;
  /** Write V8 CPU profiles of the server process into this directory. */
  cpuProfileDir: string | undefined;
  /** Where the report is written, relative to the repository root. */
  reportPath: string;
  /** A smoke run with small volumes (figures not meaningful); does not write the report. */
  quick: boolean;
};

export function loadBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const adminUrl = env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
  if (!/^postgres(ql)?:\/\//.test(adminUrl)) throw new Error("BENCH_DATABASE_URL must be a postgres:// URL");
  return {
    adminUrl,
    keepDatabase: env.BENCH_KEEP_DATABASE === "1",
    cpuProfileDir: env.BENCH_CPU_PROFILE_DIR || undefined,
    reportPath: env.BENCH_REPORT || "docs/benchmarks.md",
    quick: env.BENCH_QUICK === "1",
  };
}

/**
 * The volumes of one run. Quick mode is a smoke test of every phase (one round each, so no
 * median); the full run takes three interleaved rounds per figure (five for the short replays),
 * odd so the median is one round's own figure.
 */
export type BenchScale = {
  rounds: number;
  replayRounds: number;
  /** Sales per measured batch run (each batch size, each transport, each round). */
  salesPerMeasure: number;
  /** Seconds per one-sale run, raw and autocannon alike. */
  oneSaleSeconds: number;
  /** Sales per hot-products run (32 tills or 4, the same total). */
  hotSales: number;
  memorySales: number;
  embeddedSales: number;
};

export function benchScale(quick: boolean): BenchScale {
  return quick
    ? { rounds: 1, replayRounds: 1, salesPerMeasure: 1_000, oneSaleSeconds: 2, hotSales: 640, memorySales: 5_000, embeddedSales: 1_000 }
    : { rounds: 3, replayRounds: 5, salesPerMeasure: 5_000, oneSaleSeconds: 5, hotSales: 4_800, memorySales: 100_000, embeddedSales: 5_000 };
}
