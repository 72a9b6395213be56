import type { RequestContext } from "../auth/request-context";
import type { Sql, Tx } from "../db/transaction";
import { type MappingRow, lookUpBatch, toStoredMapping } from "./sale-lookup";
import { flagLaterDuplicates, lookUpUsedReceipts, splitInBatchDuplicates } from "./receipt-duplicates";
import type { PreparedSale } from "./prepared-sale";
import { type NewSaleRow, newSaleRow, recordSales } from "./record-sales";
import { lockRefundLinks } from "./refund-links";
import { type StoredMapping, answerReplay, storedOriginal } from "./replay";
import { type KnownReferences, judgeNewSale } from "./sale-rules";
import type { SaleOutcome } from "./sync.types";

/**
 * The flagging path: writes a batch of prepared sales inside the caller's transaction, under the
 * till's receipt lock, so a receipt number used twice is recorded and flagged naming the other
 * sale (receipt-duplicates.ts). Sales whose receipt numbers are all new take the one-trip path
 * (one-trip-writer.ts) instead; this one is for the rest and for the offline day's transaction.
 *
 * Order: stored replays are answered first (replay.ts), then the rules for a new sale are applied
 * (sale-rules.ts) to the rest, then pos_sync_record_sales claims the ids and writes the rows; a
 * claim lost to a concurrent writer is a replay too. Locks are always taken in a fixed order
 * (refund links, the till's receipts, mappings by clientTempId, products by id) so that
 * overlapping batches from many tills or servers cannot deadlock each other.
 *
 * `sales` must not repeat a clientTempId (the service resolves in-batch duplicates).
 */
export async function writeSales(tx: Tx, ctx: RequestContext, sales: PreparedSale[]): Promise<SaleOutcome[]> {
  const outcomes = new Array<SaleOutcome>(sales.length);
  // First, before the till's receipt lock, as every writer takes them (pos_sync_record_sales takes it again: a no-op).
  await lockRefundLinks(tx, ctx.shopId, "shared");
  const receipts = await lookUpUsedReceipts(tx, ctx, sales);
  const { known, stored } = await lookUpBatch(tx.sql, ctx.shopId, sales);
  known.receipts = receipts;
  const accepted = judgeBatch(sales, known, stored, outcomes);
  if (accepted.length === 0) return outcomes;

  const { first, later } = splitInBatchDuplicates(accepted, receipts);
  const orderIds = await recordSales(tx.sql, ctx, first, false);
  if (later.length > 0) {
    flagLaterDuplicates(later, first, orderIds, receipts!);
    for (const [saleId, orderId] of await recordSales(tx.sql, ctx, later, false)) orderIds.set(saleId, orderId);
  }
  await settleRecorded(tx.sql, ctx, accepted, orderIds, outcomes);
  return outcomes;
}

/**
 * Answers each sale of the batch the lookup can answer (a stored replay, a refusal by the rules)
 * into `outcomes`, and returns the accepted ones, each with the id it will get.
 */
export function judgeBatch(sales: PreparedSale[], known: KnownReferences, stored: ReadonlyMap<string, StoredMapping>, outcomes: SaleOutcome[]): NewSaleRow[] {
  const accepted: NewSaleRow[] = [];
  sales.forEach((sale, index) => {
    const original = stored.get(sale.clientTempId);
    if (original) return void (outcomes[index] = answerReplay(sale, storedOriginal(original)));
    const verdict = judgeNewSale(sale, known);
    if (verdict.kind === "refused") {
      outcomes[index] = { kind: "error", clientTempId: sale.clientTempId, error: verdict.error, retryable: false, code: verdict.code };
    } else {
      accepted.push(newSaleRow(index, sale, verdict));
    }
  });
  return accepted;
}

/** The accepted sales' answers: `created` for those recorded, the winner's answer for those that lost their claim. */
export async function settleRecorded(sql: Sql, ctx: RequestContext, accepted: NewSaleRow[], orderIds: ReadonlyMap<string, string>, outcomes: SaleOutcome[]): Promise<void> {
  await answerRacedReplays(sql, ctx, accepted.filter((row) => !orderIds.has(row.saleId)), outcomes);
  for (const row of accepted) {
    if (!orderIds.has(row.saleId)) continue;
    outcomes[row.index] = {
      kind: "synced",
      clientTempId: row.sale.clientTempId,
      serverId: row.saleId,
      orderId: orderIds.get(row.saleId)!,
      status: "created",
      warnings: row.verdict.warnings,
    };
  }
}

/** A claim lost to a concurrent writer that committed meanwhile: this statement's fresh snapshot sees the winner. */
async function answerRacedReplays(sql: Sql, ctx: RequestContext, raced: NewSaleRow[], outcomes: SaleOutcome[]): Promise<void> {
  if (raced.length === 0) return;
  const rows = await sql<MappingRow>(
    `SELECT m.client_temp_id::text AS client_temp_id, m.sale_id::text AS sale_id, m.fingerprint, s.order_id
       FROM offline_sale_syncs m
       JOIN sales s ON s.shop_id = m.shop_id AND s.id = m.sale_id
      WHERE m.shop_id = $1 AND m.client_temp_id = ANY($2::uuid[])`,
    [ctx.shopId, raced.map((r) => r.sale.clientTempId)],
  );
  const byTempId = new Map(rows.map((r) => [r.client_temp_id, toStoredMapping(r)]));
  for (const { index, sale } of raced) {
    const original = byTempId.get(sale.clientTempId);
    // Only possible if the mapping vanished between two statements.
    if (!original) throw new Error(`mapping for ${sale.clientTempId} conflicted but cannot be read`);
    outcomes[index] = answerReplay(sale, storedOriginal(original));
  }
}
