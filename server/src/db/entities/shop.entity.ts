import { Column, CreateDateColumn, Entity, PrimaryColumn } from "typeorm";

@Entity("shops")
export class ShopEntity {
  /** A shop is its own shard key, so its id doubles as shop_id. */
  @PrimaryColumn("uuid")
  id!: string;

  @Column("text")
  name!: string;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;
}
