import { type Row, fmt } from "./report";

/**
 * Interleaved rounds: every contender runs once per round, in a fixed order (raw, REST, GraphQL,
 * raw, REST, GraphQL, ...), so that a burst of load from elsewhere on this shared machine hits a
 * round's raw limit and its server figures alike. A figure is then the median of its rounds, and
 * its ratio the median of its per-round ratios (each round's figure over the same round's raw).
 * The best of rounds, which the bench kept before, rewarded whichever run happened to fall into a
 * quiet moment.
 */
export type Contender = { name: string; run: (round: number) => Promise<number> };

export async function interleaved(rounds: number, contenders: Contender[]): Promise<Map<string, number[]>> {
  const figures = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const c of contenders) figures.get(c.name)!.push(await c.run(round));
  }
  return figures;
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The median of the per-round ratios figure[i] / limit[i]. */
export function medianRatio(figure: number[], limit: number[]): number {
  return median(figure.map((f, i) => f / limit[i]));
}

/** "1,234 sales/s (rounds 1,200 / 1,234 / 1,301)": the median first, every round after it. */
export function describeRounds(values: number[], unit = fmt.rate): string {
  const each = values.map((v) => Math.round(v).toLocaleString("en-US")).join(" / ");
  return values.length > 1 ? `${unit(median(values))} (median; rounds ${each})` : unit(values[0]);
}

/** The raw limit's own row: ratio 100%. */
export function limitRow(figure: string, values: number[]): Row {
  return { figure, value: describeRounds(values), ratio: 1 };
}

/**
 * A figure against its raw limit. `goal` (a fraction) makes it a goal row: its target and whether
 * the median ratio meets it; without one the row is informational.
 */
export function ratioRow(figure: string, values: number[], limit: number[], goal?: number, limitName = "raw"): Row {
  const ratio = medianRatio(values, limit);
  return {
    figure,
    value: describeRounds(values),
    ratio,
    target: goal === undefined ? undefined : `>= ${Math.round(goal * 100)}% of ${limitName}`,
    met: goal === undefined ? undefined : ratio >= goal,
  };
}
