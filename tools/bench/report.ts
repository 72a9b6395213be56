/** One line of the benchmark table. `met` is undefined when the issue sets no target for it. */
export type Row = { figure: string; value: string; ratio?: number; target?: string; met?: boolean };

export type Machine = { cores: number; cpu: string; memoryGb: number; node: string; postgres: string; date: string; load: string };

const HEADERS = ["Figure", "Measured", "vs raw SQL limit", "Target", "Met"];

function cells(row: Row): string[] {
  return [
    row.figure,
    row.value,
    row.ratio === undefined ? "" : `${Math.round(row.ratio * 100)}%`,
    row.target ?? "",
    row.met === undefined ? "" : row.met ? "yes" : "NO",
  ];
}

function machineLine(m: Machine): string {
  return `${m.cores} cores (${m.cpu}), ${m.memoryGb} GB RAM, Node ${m.node}, PostgreSQL ${m.postgres} on loopback, ${m.date}; load average at start ${m.load}`;
}

export function textTable(rows: Row[], machine: Machine): string {
  const table = [HEADERS, ...rows.map(cells)];
  const widths = HEADERS.map((_, c) => Math.max(...table.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd();
  return [`Machine: ${machineLine(machine)}`, "", line(table[0]), widths.map((w) => "-".repeat(w)).join("  "), ...table.slice(1).map(line)].join("\n");
}

export function markdownReport(rows: Row[], machine: Machine, notes: string[]): string {
  const row = (r: string[]) => `| ${r.join(" | ")} |`;
  return [
    "# Benchmarks",
    "",
    "Written by `npm run bench` (see [benchmarking.md](benchmarking.md) for what each figure means and how to",
    "reproduce it). Do not edit by hand: rerun the benchmark.",
    "",
    `Machine: ${machineLine(machine)}.`,
    "",
    row(HEADERS),
    row(HEADERS.map(() => "---")),
    ...rows.map((r) => row(cells(r))),
    "",
    ...notes.map((n) => `- ${n}`),
    "",
  ].join("\n");
}

export const fmt = {
  rate: (n: number) => `${Math.round(n).toLocaleString("en-US")} sales/s`,
  ms: (n: number) => `${n.toFixed(1)} ms`,
  mb: (n: number) => `${Math.round(n)} MB`,
};
