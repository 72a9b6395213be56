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

  @Column("text", { nullable: true })
  phone!: string | null;

  /** The till's id for a customer created offline; null for one created online. */
  @Column("uuid", { name: "client_temp_id", nullable: true })
  clientTempId!: string | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;
}
