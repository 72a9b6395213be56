import { Column, Entity, PrimaryColumn } from "typeorm";

/** A paired (or about to be paired) till of a shop. Revoking keeps the row: its sales still point at it. */
@Entity("tills")
export class TillEntity {
  @PrimaryColumn("uuid", { name: "shop_id" })
  shopId!: string;

  @PrimaryColumn("uuid")
  id!: string;

  /** T01, T02, ... per shop, in the order the tills were created. */
  @Column("text")
  code!: string;

  @Column("text")
  name!: string;

  @Column("uuid", { name: "created_by", nullable: true })
  createdBy!: string | null;

  @Column("timestamptz", { name: "created_at" })
  createdAt!: Date;

  @Column("timestamptz", { name: "paired_at", nullable: true })
  pairedAt!: Date | null;

  @Column("timestamptz", { name: "last_seen_at", nullable: true })
  lastSeenAt!: Date | null;

  @Column("timestamptz", { name: "revoked_at", nullable: true })
  revokedAt!: Date | null;

  /** The till's latest outbox report (tillState with a sync): when, how many unsent, their receipt range. */
  @Column("timestamptz", { name: "state_reported_at", nullable: true })
  stateReportedAt!: Date | null;

  @Column("integer", { name: "unsent_count", nullable: true })
  unsentCount!: number | null;

  @Column("integer", { name: "unsent_lowest", nullable: true })
  unsentLowest!: number | null;

  @Column("integer", { name: "unsent_highest", nullable: true })
  unsentHighest!: number | null;

  /** Refused sales of this till that had no usable clientTempId, so could not be kept one by one. */
  @Column("integer", { name: "unidentified_rejections", default: 0 })
  unidentifiedRejections!: number;
}
