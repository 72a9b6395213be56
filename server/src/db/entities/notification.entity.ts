import { Column, Entity, PrimaryColumn } from "typeorm";

export type NotificationType = "LOW_STOCK";

/** At most one unread LOW_STOCK notification per product (partial unique index); later sales update it. */
@Entity("notifications")
export class NotificationEntity {
  @PrimaryColumn("uuid", { name: "shop_id" })
  shopId!: string;

  @PrimaryColumn("uuid")
  id!: string;

  @Column("text")
  type!: NotificationType;

  @Column("uuid", { name: "product_id" })
  productId!: string;

  @Column("text")
  message!: string;

  @Column("integer")
  stock!: number;

  @Column("timestamptz", { name: "created_at" })
  createdAt!: Date;

  @Column("timestamptz", { name: "updated_at" })
  updatedAt!: Date;

  @Column("timestamptz", { name: "read_at", nullable: true })
  readAt!: Date | null;
}
