import { Column, Entity, PrimaryColumn } from "typeorm";
import { bigintNumber, numericNumber } from "./columns";

@Entity("sale_items")
export class SaleItemEntity {
  @PrimaryColumn("uuid", { name: "shop_id" })
  shopId!: string;

  @PrimaryColumn("uuid")
  id!: string;

  @Column("uuid", { name: "sale_id" })
  saleId!: string;

  @Column("uuid", { name: "product_id" })
  productId!: string;

  @Column("integer")
  position!: number;

  @Column("integer")
  quantity!: number;

  @Column("bigint", { name: "unit_price_cents", transformer: bigintNumber })
  unitPriceCents!: number;

  @Column("numeric", { name: "discount_percent", precision: 5, scale: 2, transformer: numericNumber })
  discountPercent!: number;

  @Column("bigint", { name: "line_total_cents", transformer: bigintNumber })
  lineTotalCents!: number;
}
