import { Column, Entity, PrimaryColumn } from "typeorm";
import { bigintNumber } from "./columns";

@Entity("sales")
export class SaleEntity {
  @PrimaryColumn("uuid", { name: "shop_id" })
  shopId!: string;

  @PrimaryColumn("uuid")
  id!: string;

  @Column("text", { name: "order_id" })
  orderId!: string;

  /** Null for sales rung up online; offline sales keep the till's id for reconciliation. */
  @Column("uuid", { name: "client_temp_id", nullable: true })
  clientTempId!: string | null;

  @Column("uuid", { name: "customer_id", nullable: true })
  customerId!: string | null;

  @Column("bigint", { name: "total_cents", transformer: bigintNumber })
  totalCents!: number;

  @Column("boolean", { name: "needs_review" })
  needsReview!: boolean;

  @Column("jsonb", { name: "review_reasons" })
  reviewReasons!: string[];

  /** When the sale happened at the till (the client's createdAt), not when it reached us. */
  @Column("timestamptz", { name: "sold_at" })
  soldAt!: Date;

  @Column("timestamptz", { name: "synced_at" })
  syncedAt!: Date;

  @Column("uuid", { name: "created_by", nullable: true })
  createdBy!: string | null;

  /** The paired till whose credential recorded the sale; null for a user's own token. */
  @Column("uuid", { name: "till_id", nullable: true })
  tillId!: string | null;

  /** The cashier the till says made the sale (its PIN pad); null when not given or not a member. */
  @Column("uuid", { name: "staff_id", nullable: true })
  staffId!: string | null;

  /** The till's own receipt counter (T03-000124 is till T03's 124th sale); null when the till sent none. */
  @Column("integer", { name: "receipt_number", nullable: true })
  receiptNumber!: number | null;

  /** Cash given back beyond what was owed (0 without tenders). */
  @Column("bigint", { name: "change_cents", transformer: bigintNumber })
  changeCents!: number;
}
