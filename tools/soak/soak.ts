import autocannon from "autocannon";
import type { DataSource } from "typeorm";
import { checkInvariants } from "../../server/src/invariants/check";
import { type AnswerCounts, SoakLedger, type SoakProduct, type SoakSale } from "./soak-ledger";

/**
 * The soak: autocannon on loopback against the REST shim, then the GraphQL mutation, each for a set
 * time (and at most a set number of requests), every request built fresh: new sales with new
 * clientTempIds mixed with replays of earlier ones (also across transports). Then the checks:
 * no 5xx, no connection errors, no rejected sale, no answer contradicting another, and in the
 * database every acknowledged sale exactly once, nothing that was never sent, invariants intact.
 */
export type SoakOptions = {
  url: string;
  dataSource: DataSource;
  shop: { shopId: string; token: string; products: SoakProduct[] };
  secondsPerTransport: number;
  maxRequestsPerTransport: number;
  connections: number;
  salesPerRequest: number;
  duplicateRatio: number;
};

export type TransportFigures = {
  transport: "rest" | "graphql";
  requests: number;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  status2xx: number;
  status4xx: number;
  status5xx: number;
  connectionErrors: number;
  timeouts: number;
} & AnswerCounts;

export type SoakReport = {
  transports: TransportFigures[];
  salesSent: number;
  /** Sales whose request was in flight when the load stopped, resent afterwards like an outbox would. */
  resentAfterLoad: number;
  rowsInDatabase: number;
  lost: number;
  doubled: number;
  phantom: number;
  unacknowledged: number;
  brokenInvariants: string[];
  problems: string[];
  failures: string[];
  ok: boolean;
};

const SYNC_MUTATION = `mutation Sync($sales: [OfflineSaleInput!]!) {
  syncOfflineSales(sales: $sales) { synced { clientTempId serverId orderId status } errors { clientTempId error } }
}`;

type Answer = { synced: { clientTempId: string; serverId: string; orderId: string; status: string }[]; errors: { clientTempId: string; error: string }[] };

const TRANSPORTS = {
  rest: {
    path: "/api/pos/sync",
    body: (sales: SoakSale[]) => JSON.stringify({ sales }),
    answer: (json: unknown) => json as Answer,
  },
  graphql: {
    path: "/graphql",
    body: (sales: SoakSale[]) => JSON.stringify({ query: SYNC_MUTATION, variables: { sales } }),
    answer: (json: unknown) => (json as { data?: { syncOfflineSales?: Answer } }).data?.syncOfflineSales,
  },
} as const;

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const ledger = new SoakLedger(options.shop.products);
  const transports: TransportFigures[] = [];
  for (const name of ["rest", "graphql"] as const) transports.push(await soakTransport(name, options, ledger));
  const resent = await resendUnacknowledged(options, ledger);

  const rows = (await options.dataSource.query(
    `SELECT client_temp_id::text AS client_temp_id, id::text AS id FROM sales WHERE shop_id = $1 AND client_temp_id IS NOT NULL`,
    [options.shop.shopId],
  )) as { client_temp_id: string; id: string }[];
  const reconciled = ledger.reconcile(rows);
  const broken = await checkInvariants(options.dataSource, { shopId: options.shop.shopId });
  const brokenInvariants = broken.map((b) => `${b.invariant}: ${b.count} (${b.examples.join("; ")})`);

  const failures: string[] = [];
  for (const t of transports) {
    if (t.requests === 0) failures.push(`${t.transport}: no request completed`);
    if (t.status5xx > 0) failures.push(`${t.transport}: ${t.status5xx} responses were 5xx`);
    if (t.status4xx > 0) failures.push(`${t.transport}: ${t.status4xx} responses were 4xx`);
    if (t.connectionErrors > 0) failures.push(`${t.transport}: ${t.connectionErrors} connection errors (${t.timeouts} timeouts)`);
    if (t.saleErrors > 0) failures.push(`${t.transport}: ${t.saleErrors} valid sales were rejected`);
    if (t.contradictions > 0) failures.push(`${t.transport}: ${t.contradictions} answers contradicted earlier ones`);
  }
  if (reconciled.lost > 0) failures.push(`${reconciled.lost} acknowledged sales are missing from the database`);
  if (reconciled.doubled > 0) failures.push(`${reconciled.doubled} sales are recorded more than once`);
  if (reconciled.phantom > 0) failures.push(`${reconciled.phantom} sales in the database were never sent`);
  if (reconciled.unacknowledged > 0) failures.push(`${reconciled.unacknowledged} sales sent were never acknowledged, even when resent`);
  if (rows.length !== ledger.sentCount) failures.push(`${ledger.sentCount} distinct sales sent but ${rows.length} rows recorded`);
  for (const b of brokenInvariants) failures.push(`invariant broken: ${b}`);

  return {
    transports,
    salesSent: ledger.sentCount,
    resentAfterLoad: resent,
    rowsInDatabase: rows.length,
    ...reconciled,
    brokenInvariants,
    problems: ledger.problems,
    failures,
    ok: failures.length === 0,
  };
}

async function soakTransport(name: "rest" | "graphql", options: SoakOptions, ledger: SoakLedger): Promise<TransportFigures> {
  const transport = TRANSPORTS[name];
  const counts: AnswerCounts = { created: 0, existing: 0, saleErrors: 0, contradictions: 0 };
  let sequence = 0;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.secondsPerTransport,
    maxOverallRequests: Math.max(options.maxRequestsPerTransport, options.connections),
    timeout: 30,
    requests: [
      {
        method: "POST",
        path: transport.path,
        setupRequest: (request) => ({
          ...request,
          headers: {
            "content-type": "application/json",
            authorization: `Bearer ${options.shop.token}`,
            "x-shop-id": options.shop.shopId,
            "x-request-id": `soak-${name}-${++sequence}`,
          },
          body: transport.body(ledger.nextBatch(options.salesPerRequest, options.duplicateRatio)),
        }),
        onResponse: (status, body) => countAnswer(name, status, body, ledger, counts),
      },
    ],
  });
  return {
    transport: name,
    requests: result.requests.total,
    requestsPerSecond: Math.round((result.requests.total / Math.max(result.duration, 0.001)) * 10) / 10,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    status2xx: result["2xx"],
    status4xx: result["4xx"],
    status5xx: result["5xx"],
    connectionErrors: result.errors,
    timeouts: result.timeouts,
    ...counts,
  };
}

/** Tallies one answer of the soak into the ledger; anything but a sync result is a problem. */
function countAnswer(name: "rest" | "graphql", status: number, body: string, ledger: SoakLedger, counts: AnswerCounts): void {
  if (status >= 300) {
    ledger.problem(`${name} HTTP ${status}: ${body.slice(0, 200)}`);
    return;
  }
  let answer: Answer | undefined;
  try {
    answer = TRANSPORTS[name].answer(JSON.parse(body));
  } catch {
    answer = undefined;
  }
  if (!answer) {
    counts.contradictions++;
    ledger.problem(`${name} answered 200 without a sync result: ${body.slice(0, 200)}`);
    return;
  }
  const c = ledger.record(answer.synced, answer.errors);
  counts.created += c.created;
  counts.existing += c.existing;
  counts.saleErrors += c.saleErrors;
  counts.contradictions += c.contradictions;
}

/** The outbox's last word: whatever never got an answer is sent again until it does (bounded). */
async function resendUnacknowledged(options: SoakOptions, ledger: SoakLedger): Promise<number> {
  const pending = ledger.unacknowledgedSales();
  for (let i = 0; i < pending.length; i += 500) {
    const res = await fetch(`${options.url}${TRANSPORTS.rest.path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${options.shop.token}`, "x-shop-id": options.shop.shopId },
      body: TRANSPORTS.rest.body(pending.slice(i, i + 500)),
    });
    const text = await res.text();
    if (res.status !== 200) {
      ledger.problem(`resend HTTP ${res.status}: ${text.slice(0, 200)}`);
      continue;
    }
    const answer = TRANSPORTS.rest.answer(JSON.parse(text));
    ledger.record(answer.synced, answer.errors);
  }
  return pending.length;
}

export function formatReport(report: SoakReport): string {
  const lines = report.transports.map(
    (t) =>
      `  ${t.transport.padEnd(7)} ${String(t.requests).padStart(6)} req  ${String(t.requestsPerSecond).padStart(7)} req/s  ` +
      `p50 ${t.latencyP50Ms} ms  p99 ${t.latencyP99Ms} ms  2xx ${t.status2xx}  4xx ${t.status4xx}  5xx ${t.status5xx}  ` +
      `conn errors ${t.connectionErrors}  sales created ${t.created} existing ${t.existing} rejected ${t.saleErrors}`,
  );
  lines.push(
    `  sales sent ${report.salesSent} (${report.resentAfterLoad} in flight at the end, resent), rows ${report.rowsInDatabase}, lost ${report.lost}, doubled ${report.doubled}, ` +
      `phantom ${report.phantom}, unacknowledged ${report.unacknowledged}, broken invariants ${report.brokenInvariants.length}`,
  );
  if (report.ok) lines.push("  soak OK");
  else lines.push("  soak FAILED:", ...report.failures.map((f) => `    - ${f}`), ...report.problems.map((p) => `    ! ${p}`));
  return lines.join("\n");
}
