import type { Tx } from "../db/transaction";

/**
 * A refund of a sale the server has not got yet is recorded unlinked and linked by the sale's own
 * write when it arrives (pos_sync_record_sales, which takes the shared lock itself, before the
 * snapshot its link statement reads: migration 1769000000000). Two transactions racing (the refund judged while
 * the sale's write is still uncommitted, the sale's link statement run before the refund's commit)
 * would leave it unlinked for ever, so they are ordered by one advisory lock per shop:
 *
 * - every write of sales takes it SHARED, first: sale writers never wait for each other;
 * - every transaction that writes refunds takes it EXCLUSIVE, first: it waits for the sale writes in
 *   flight to commit (its later statements see them, so the refund is linked at once), and sale
 *   writes that start later wait for it (their link statement sees the refund).
 *
 * It is always the transaction's first lock, so it adds no lock-order cycle. The exclusive mode
 * also serialises a shop's refund writes, which is what makes "beyond what was sold minus earlier
 * refunds" exact between two tills refunding the same sale at once. Refunds are few; sales pay one
 * uncontended shared lock per transaction.
 */
export type RefundLinkMode = "shared" | "exclusive";

export async function lockRefundLinks(tx: Tx, shopId: string, mode: RefundLinkMode): Promise<void> {
  const fn = mode === "shared" ? "pg_advisory_xact_lock_shared" : "pg_advisory_xact_lock";
  await tx.sql(`SELECT ${fn}(pos_sync_refund_links_key($1::uuid))`, [shopId]);
}
