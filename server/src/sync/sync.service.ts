import type { DataSource } from "typeorm";
import type { Logger } from "pino";
import { type RequestContext, requirePermission } from "../auth/request-context";
import { type Sql, autocommitSql, inTransaction, isConnectionError, sqlStateOf } from "../db/transaction";
import { BadRequestError, PayloadTooLargeError, ServiceUnavailableError } from "../shared/errors";
import { clientTempIdOf } from "./offline-sale.schema";
import type { PreparedSale } from "./prepared-sale";
import { prepareSaleBatch } from "./sale-batch";
import { writeSalesInOneTrip } from "./one-trip-writer";
import { writeSales } from "./sale-writer";
import { WriteCoalescer } from "./write-coalescer";
import { type RejectedKind, recordRejections } from "../receipts/rejection-store";
import { type TillState, parseTillState, recordTillState } from "../receipts/till-state";
import type { RejectionCode, SaleOutcome, SyncCounts, SyncResult } from "./sync.types";

export type SyncLimits = { maxSalesPerRequest: number };

/**
 * The one rule for the size of a sync request. The service applies it to the list it is given; the
 * GraphQL adapter applies it to the sum over every syncOfflineSales field of an operation before
 * any of them runs, so aliases cannot multiply it.
 */
export function checkSalesPerRequest(count: number, limits: SyncLimits): void {
  if (count > limits.maxSalesPerRequest) {
    throw new PayloadTooLargeError(`sales: at most ${limits.maxSalesPerRequest} sales per request, got ${count}; split the batch`);
  }
}

/**
 * The same bound for an offline day's request: its customers, sales and refunds together (each is
 * a record written in the request's one transaction), so the limit keeps meaning "so much work".
 */
export function checkRecordsPerRequest(count: number, limits: SyncLimits): void {
  if (count > limits.maxSalesPerRequest) {
    throw new PayloadTooLargeError(
      `at most ${limits.maxSalesPerRequest} customers, sales and refunds per request (MAX_SALES_PER_REQUEST), got ${count}; split the batch`,
    );
  }
}

/** Told about every batch that was written, for metrics; knows nothing of transports. */
export type SyncObserver = (counts: SyncCounts, seconds: number) => void;

const INTERNAL_SALE_ERROR = "The server could not record this sale; it was not saved. Retry later.";
const OUT_OF_RANGE_SALE_ERROR =
  "Invalid sale: items quantities push a product's stock past the range the server can count; it was not saved";
const UNSTORABLE_SALE_ERROR = "Invalid sale: a value cannot be stored by the server; it was not saved";

/**
 * The one owner of offline sync. Validates every sale in the application first, then writes all
 * valid ones set-based in one transaction. If that transaction fails for a reason other than a
 * retryable conflict (which the transaction helper already retried), the batch is written again in
 * halves, recursing into the half that fails, so one unexpected failure never takes its neighbours
 * down with it and costs a few transactions, not one per sale.
 * A lost database connection is different: the whole transaction is gone, nothing was recorded,
 * and the caller is told to retry (503) instead of grinding through the batch sale by sale.
 */
export class SyncService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly limits: SyncLimits,
    private readonly logger: Logger,
    private readonly observe: SyncObserver = () => undefined,
  ) {
    this.autocommit = autocommitSql(dataSource);
  }

  private readonly coalescer = new WriteCoalescer((ctx, sales) => this.write(ctx, sales));
  private readonly autocommit: Sql;

  /**
   * `rawTillState` is the till's optional outbox report (receipts/till-state.ts): checked before
   * anything is written, stored after the sales, never changing the answer.
   */
  async syncOfflineSales(ctx: RequestContext, rawSales: unknown, rawTillState?: unknown): Promise<SyncResult & { counts: SyncCounts }> {
    requirePermission(ctx, "sales:create");
    const started = process.hrtime.bigint();
    if (!Array.isArray(rawSales)) throw new BadRequestError("sales must be an array");
    checkSalesPerRequest(rawSales.length, this.limits);
    const tillState = parseTillState(rawTillState);

    const batch = prepareSaleBatch(rawSales);
    const outcomes = batch.complete(await this.coalescer.submit(ctx, batch.unique));
    await this.keepRecords(ctx, rawSales, outcomes, tillState);
    return this.answer(ctx, rawSales, outcomes, started);
  }

  /** The sales' answer in request order, observed and logged once per request. */
  answer(ctx: RequestContext, rawSales: unknown[], outcomes: SaleOutcome[], started: bigint, extra: Record<string, number> = {}): SyncResult & { counts: SyncCounts } {
    // Ids are compared lowercased, but each answer carries the id exactly as its till sent it.
    const result = summarise(outcomes.map((outcome, i) => ({ ...outcome, clientTempId: clientTempIdOf(rawSales[i]) })));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.observe(result.counts, seconds);
    this.logger.info({ shopId: ctx.shopId, ...result.counts, ...extra, ms: Math.round(seconds * 1000) }, "sync batch");
    return result;
  }

  /**
   * What the server keeps beside the sales, once they are written: the refused sales (a server
   * failure is not a refusal: its sale is resent) and the till's outbox report. Each is one
   * statement of its own; a failure is logged and never changes the answer.
   */
  async keepRecords(
    ctx: RequestContext,
    rawSales: unknown[],
    outcomes: { kind: string; retryable?: boolean; code?: RejectionCode; error?: string }[],
    tillState: TillState | null,
    kind: RejectedKind = "sale",
  ): Promise<void> {
    const refused = outcomes.flatMap((o, i) => (o.kind === "error" && !o.retryable ? [{ raw: rawSales[i], code: o.code!, error: o.error! }] : []));
    await recordRejections(this.dataSource, ctx, refused, kind).catch((err: unknown) =>
      this.logger.error({ err, shopId: ctx.shopId, rejections: refused.length, kind }, "refused records could not be kept"),
    );
    if (tillState) {
      await recordTillState(this.dataSource, ctx, tillState).catch((err: unknown) =>
        this.logger.error({ err, shopId: ctx.shopId, tillId: ctx.tillId }, "till state could not be kept"),
      );
    }
  }

  /** A batch of sales in its own unit(s) of work, bisected on an unexpected failure; also the offline day's fallback. */
  async write(ctx: RequestContext, sales: PreparedSale[]): Promise<SaleOutcome[]> {
    if (sales.length === 0) return [];
    try {
      return await this.writeOnce(ctx, sales);
    } catch (error) {
      if (isConnectionError(error)) {
        this.logger.error({ err: error, shopId: ctx.shopId }, "database connection lost during sync");
        throw new ServiceUnavailableError("The database is unavailable; nothing of this batch was recorded. Retry later.");
      }
      if (sales.length === 1) return [this.failed(ctx, sales[0], error)];
      this.logger.warn({ err: error, shopId: ctx.shopId, sales: sales.length }, "set-based sync failed; writing the batch in halves");
      return this.writeInHalves(ctx, sales);
    }
  }

  /**
   * The batch's write: the one-trip path (one-trip-writer.ts), or, when a receipt number needs
   * flagging, the flagging path in a transaction (sale-writer.ts).
   */
  private async writeOnce(ctx: RequestContext, sales: PreparedSale[]): Promise<SaleOutcome[]> {
    const written = await writeSalesInOneTrip(this.autocommit, ctx, sales);
    return written ?? (await inTransaction(this.dataSource, (tx) => writeSales(tx, ctx, sales)));
  }

  /**
   * Bisects a batch whose set-based write failed: each half is written set-based in its own
   * transaction and only a half that fails again is split further, so one bad sale among n costs
   * about 2 × log2(n) transactions instead of n. Halves before it may have committed, so a lost
   * connection here no longer means "nothing was recorded"; a retry answers those `existing`.
   */
  private async writeInHalves(ctx: RequestContext, sales: PreparedSale[]): Promise<SaleOutcome[]> {
    const middle = Math.ceil(sales.length / 2);
    const outcomes: SaleOutcome[] = [];
    for (const half of [sales.slice(0, middle), sales.slice(middle)]) {
      try {
        outcomes.push(...(await this.writeOnce(ctx, half)));
      } catch (error) {
        if (isConnectionError(error)) throw new ServiceUnavailableError("The database is unavailable; retry later.");
        outcomes.push(...(half.length === 1 ? [this.failed(ctx, half[0], error)] : await this.writeInHalves(ctx, half)));
      }
    }
    return outcomes;
  }

  /**
   * A sale that failed alone. A data exception (SQLSTATE class 22, e.g. a stock counter pushed past
   * its range) will fail the same way forever, so it is a permanent error, not "retry later".
   */
  private failed(ctx: RequestContext, sale: PreparedSale, error: unknown): SaleOutcome {
    this.logger.error({ err: error, shopId: ctx.shopId, clientTempId: sale.clientTempId }, "sale could not be written");
    const state = sqlStateOf(error);
    if (state === "22003") return { kind: "error", clientTempId: sale.clientTempId, error: OUT_OF_RANGE_SALE_ERROR, retryable: false, code: "OUT_OF_RANGE" };
    if (state?.startsWith("22")) return { kind: "error", clientTempId: sale.clientTempId, error: UNSTORABLE_SALE_ERROR, retryable: false, code: "UNSTORABLE" };
    return { kind: "error", clientTempId: sale.clientTempId, error: INTERNAL_SALE_ERROR, retryable: true, code: "SERVER_ERROR" };
  }
}

export function summarise(outcomes: SaleOutcome[]): SyncResult & { counts: SyncCounts } {
  const result: SyncResult & { counts: SyncCounts } = {
    synced: [],
    errors: [],
    counts: { created: 0, existing: 0, rejected: 0 },
  };
  for (const outcome of outcomes) {
    switch (outcome.kind) {
      case "synced":
        result.synced.push(outcome);
        result.counts[outcome.status]++;
        break;
      case "error":
        result.errors.push(outcome);
        result.counts.rejected++;
        break;
    }
  }
  return result;
}
