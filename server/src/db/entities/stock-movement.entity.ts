import { Column, Entity, PrimaryColumn } from "typeorm";

export type StockMovementReason = "initial" | "sale" | "adjustment";

/** Append-only: a product's stock always equals the sum of its movements. */
@Entity("stock_movements")
export class StockMovementEntity {
  @PrimaryColumn("uuid", { name: "shop_id" })
  shopId!: string;

  @PrimaryColumn("uuid")
  id!: string;

  @Column("uuid", { name: "product_id" })
  productId!: string;

  @Column("integer", { name: "quantity_delta" })
  quantityDelta!: number;

  @Column("text")
  reason!: StockMovementReason;

  @Column("uuid", { name: "sale_id", nullable: true })
  saleId!: string | null;

  @Column("text", { nullable: true })
  note!: string | null;

  @Column("uuid", { name: "created_by", nullable: true })
  createdBy!: string | null;

  @Column("timestamptz", { name: "created_at" })
  createdAt!: Date;
}
