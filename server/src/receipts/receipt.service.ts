import type { DataSource } from "typeorm";
import { type RequestContext, requirePermission } from "../auth/request-context";
import { type ReceiptGap, highestReceipts, receiptGaps } from "./receipt-gaps";

/**
 * Per-till receipt facts for the tills list: the gaps with their status and the highest number
 * received, for those who manage tills (also when reached through a sale's till). Batched over the
 * tills of one request.
 */
export class ReceiptService {
  constructor(private readonly dataSource: DataSource) {}

  async gapsByTill(ctx: RequestContext, tillIds: readonly string[]): Promise<Map<string, ReceiptGap[]>> {
    requirePermission(ctx, "tills:manage");
    const byTill = new Map<string, ReceiptGap[]>(tillIds.map((id) => [id, []]));
    for (const gap of await receiptGaps(this.dataSource, ctx.shopId, [...tillIds])) byTill.get(gap.tillId)?.push(gap);
    return byTill;
  }

  highestByTill(ctx: RequestContext, tillIds: readonly string[]): Promise<Map<string, number>> {
    requirePermission(ctx, "tills:manage");
    return highestReceipts(this.dataSource, ctx.shopId, tillIds);
  }
}
