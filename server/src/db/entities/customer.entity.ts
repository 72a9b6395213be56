import { Column, CreateDateColumn, Entity, PrimaryColumn } from "typeorm";

@Entity("customers")
export class CustomerEntity {
  @PrimaryColumn("uuid", { name: "shop_id" })
  shopId!: string;

  @PrimaryColumn("uuid")
  id!: string;

  @Column("text")
  name!: string;

  @Column("text", { nullable: true })
  email!: string | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;
}
