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
