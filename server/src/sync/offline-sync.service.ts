import type { DataSource } from "typeorm";
import type { Logger } from "pino";
import { type RequestContext, requirePermission } from "../auth/request-context";
import { type Tx, inTransaction, isConnectionError } from "../db/transaction";
import { parseTillState } from "../receipts/till-state";
import { BadRequestError, ServiceUnavailableError } from "../shared/errors";
import { isUuid } from "../shared/uuid";
import { writeCustomers } from "./customer-writer";
import { failedEntity, prepareEntityBatch, writeBisected } from "./entity-batch";
import { type EntityOutcome, type EntityResult, summariseEntities } from "./entity-outcome";
import { type PreparedCustomer, parseOfflineCustomer } from "./offline-customer";
import { type PreparedRefund, parseOfflineRefund } from "./offline-refund";
import { clientTempIdOf } from "./offline-sale.schema";
import type { PreparedSale } from "./prepared-sale";
import { lockRefundLinks } from "./refund-links";
import { writeRefunds } from "./refund-writer";
import { prepareSaleBatch } from "./sale-batch";
import { writeSales } from "./sale-writer";
import { type SyncLimits, type SyncService, checkRecordsPerRequest } from "./sync.service";
import type { SaleOutcome, SyncCounts, SyncResult } from "./sync.types";

export type OfflineDayInput = { customers?: unknown; sales?: unknown; refunds?: unknown; tillState?: unknown };
export type OfflineDayResult = { customers: EntityResult; sales: SyncResult & { counts: SyncCounts }; refunds: EntityResult };

type Written = { customers: EntityOutcome[]; sales: SaleOutcome[]; refunds: EntityOutcome[] };

/**
 * A till's whole offline day in one request: customers created at the counter, sales (which may
 * name those customers by temp id) and refunds (which may refund a sale of the same request, one
 * synced earlier, or one still on another till). One transaction, set-based, in that order, so each
 * kind sees what the one before it wrote; every rule lives with its kind (customer-writer,
 * sale-rules, refund-rules). A failure other than a lost connection falls back to each kind in its
 * own transactions, bisected like the sales, so one bad record never takes the others down.
 */
export class OfflineSyncService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly limits: SyncLimits,
    private readonly logger: Logger,
    private readonly sales: SyncService,
  ) {}

  async syncOffline(ctx: RequestContext, input: OfflineDayInput): Promise<OfflineDayResult> {
    requirePermission(ctx, "sales:create");
    const started = process.hrtime.bigint();
    const raw = { customers: listOf(input.customers, "customers"), sales: listOf(input.sales, "sales"), refunds: listOf(input.refunds, "refunds") };
    checkRecordsPerRequest(raw.customers.length + raw.sales.length + raw.refunds.length, this.limits);
    const tillState = parseTillState(input.tillState);

    const customers = prepareEntityBatch("customer", raw.customers, (r) => {
      const p = parseOfflineCustomer(r);
      return p.ok ? { ok: true, value: p.customer } : p;
    });
    const sales = prepareSaleBatch(raw.sales);
    const refunds = prepareEntityBatch("refund", raw.refunds, (r) => {
      const p = parseOfflineRefund(r);
      return p.ok ? { ok: true, value: p.refund } : p;
    });
    const invalidSales = sales.outcomes.flatMap((o) => (o?.kind === "error" && isUuid(o.clientTempId) ? [o.clientTempId.toLowerCase()] : []));
    const written = await this.write(ctx, customers.unique, sales.unique, refunds.unique, invalidSales);

    const outcomes = { customers: customers.complete(written.customers), sales: sales.complete(written.sales), refunds: refunds.complete(written.refunds) };
    await this.sales.keepRecords(ctx, raw.sales, outcomes.sales, tillState);
    await this.sales.keepRecords(ctx, raw.refunds, outcomes.refunds, null, "refund");
    const counts = { customers: raw.customers.length, refunds: raw.refunds.length };
    return {
      customers: summariseEntities(asSent(raw.customers, outcomes.customers)),
      sales: this.sales.answer(ctx, raw.sales, outcomes.sales, started, counts),
      refunds: summariseEntities(asSent(raw.refunds, outcomes.refunds)),
    };
  }

  private async write(ctx: RequestContext, customers: PreparedCustomer[], sales: PreparedSale[], refunds: PreparedRefund[], invalidSales: string[]): Promise<Written> {
    try {
      return await inTransaction(this.dataSource, async (tx) => {
        await lockRefundLinks(tx, ctx.shopId, refunds.length > 0 ? "exclusive" : "shared");
        const c = await writeCustomers(tx, ctx.shopId, customers);
        const s = sales.length > 0 ? await writeSales(tx, ctx, sales) : [];
        const r = await writeRefunds(tx, ctx, refunds, refusedSales(invalidSales, sales, s));
        return { customers: c, sales: s, refunds: r };
      });
    } catch (error) {
      if (isConnectionError(error)) {
        this.logger.error({ err: error, shopId: ctx.shopId }, "database connection lost during sync");
        throw new ServiceUnavailableError("The database is unavailable; nothing of this batch was recorded. Retry later.");
      }
      this.logger.warn({ err: error, shopId: ctx.shopId }, "offline day's transaction failed; writing each kind on its own");
      return this.writeApart(ctx, customers, sales, refunds, invalidSales);
    }
  }

  /** The fallback: customers, then sales (bisected by the sales' own path), then refunds, each in their own transactions. */
  private async writeApart(ctx: RequestContext, customers: PreparedCustomer[], sales: PreparedSale[], refunds: PreparedRefund[], invalidSales: string[]): Promise<Written> {
    const inTx = <T>(work: (tx: Tx) => Promise<T>) => inTransaction(this.dataSource, work);
    const c = await writeBisected(customers, (part) => inTx((tx) => writeCustomers(tx, ctx.shopId, part)), (x, e) => this.failed(ctx, "customer", x.clientTempId, e));
    const s = await this.sales.write(ctx, sales);
    const refused = refusedSales(invalidSales, sales, s);
    const r = await writeBisected(
      refunds,
      (part) =>
        inTx(async (tx) => {
          await lockRefundLinks(tx, ctx.shopId, "exclusive");
          return writeRefunds(tx, ctx, part, refused);
        }),
      (x, e) => this.failed(ctx, "refund", x.clientTempId, e),
    );
    return { customers: c, sales: s, refunds: r };
  }

  private failed(ctx: RequestContext, kind: "customer" | "refund", clientTempId: string, error: unknown): EntityOutcome {
    this.logger.error({ err: error, shopId: ctx.shopId, clientTempId, kind }, "record could not be written");
    return failedEntity(kind, clientTempId, error);
  }
}

function listOf(value: unknown, name: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new BadRequestError(`${name} must be an array`);
  return value;
}

/** The sales of this request the server refused (a server failure is not a refusal): a refund of one is flagged as such. */
function refusedSales(invalid: string[], sales: PreparedSale[], written: SaleOutcome[]): Set<string> {
  const refused = new Set(invalid);
  written.forEach((o, i) => {
    if (o.kind === "error" && !o.retryable && o.code !== "CLIENT_TEMP_ID_REUSED") refused.add(sales[i].clientTempId);
  });
  return refused;
}

/** Each answer carries the clientTempId exactly as its till sent it (null when it sent none). */
function asSent(raws: unknown[], outcomes: EntityOutcome[]): EntityOutcome[] {
  return outcomes.map((o, i) => {
    const id = (raws[i] as { clientTempId?: unknown } | null)?.clientTempId;
    return { ...o, clientTempId: typeof id === "string" ? clientTempIdOf(raws[i]) : null } as EntityOutcome;
  });
}
