import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from "typeorm";
import { bigintNumber } from "./columns";

@Entity("products")
export class ProductEntity {
  @PrimaryColumn("uuid", { name: "shop_id" })
  shopId!: string;

  @PrimaryColumn("uuid")
  id!: string;

  @Column("text")
  name!: string;

  @Column("text")
  sku!: string;

  @Column("bigint", { name: "price_cents", transformer: bigintNumber })
  priceCents!: number;

  /** Only ever changed by atomic `stock = stock + delta` statements, each with a ledger row. */
  @Column("integer")
  stock!: number;

  @Column("integer", { name: "low_stock_threshold" })
  lowStockThreshold!: number;

  /** Archived products keep their row (sales reference them); null unless archived. */
  @Column("timestamptz", { name: "archived_at", nullable: true })
  archivedAt!: Date | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt!: Date;
}
