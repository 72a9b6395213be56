import { Column, CreateDateColumn, Entity, PrimaryColumn } from "typeorm";

/**
 * The idempotency record of the seed spec: unique (shop_id, client_temp_id) and one row per sale.
 * `fingerprint` is the SHA-256 of the canonical payload, so a reused clientTempId with a different
 * sale is told apart from an honest retry. It is never exposed through the API.
 */
@Entity("offline_sale_syncs")
export class OfflineSaleSyncEntity {
  @PrimaryColumn("uuid", { name: "shop_id" })
  shopId!: string;

  @PrimaryColumn("uuid")
  id!: string;

  @Column("uuid", { name: "client_temp_id" })
  clientTempId!: string;

  @Column("uuid", { name: "sale_id" })
  saleId!: string;

  @Column("text")
  fingerprint!: string;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;
}
