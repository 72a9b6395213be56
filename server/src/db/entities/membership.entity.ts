import { Column, CreateDateColumn, Entity, PrimaryColumn } from "typeorm";
import type { Role } from "../../auth/permissions";

@Entity("shop_memberships")
export class MembershipEntity {
  @PrimaryColumn("uuid", { name: "shop_id" })
  shopId!: string;

  @PrimaryColumn("uuid", { name: "user_id" })
  userId!: string;

  @Column("text")
  role!: Role;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;
}
