import { Column, CreateDateColumn, Entity, PrimaryColumn } from "typeorm";

/** Users span shops (a manager of several branches), so they are global; memberships carry shop_id. */
@Entity("users")
export class UserEntity {
  @PrimaryColumn("uuid")
  id!: string;

  @Column("text", { unique: true })
  email!: string;

  @Column("text")
  name!: string;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;
}
