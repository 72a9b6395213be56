import { DateTimeISOResolver } from "graphql-scalars";
import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";

export enum ReceiptGapStatusValue {
  PENDING = "pending",
  REJECTED = "rejected",
  MISSING = "missing",
}
registerEnumType(ReceiptGapStatusValue, {
  name: "ReceiptGapStatus",
  valuesConfig: {
    PENDING: { description: "The till's latest report says it still holds these sales unsent." },
    REJECTED: { description: "The till sent them and the server refused them; they are kept as rejections (attention)." },
    MISSING: { description: "Neither: the till does not report holding them. A person must look at once." },
  },
});

@ObjectType("ReceiptGap", { description: "A run of a till's receipt numbers the server has not received, from..to inclusive." })
export class ReceiptGapType {
  @Field(() => Int)
  from!: number;

  @Field(() => Int)
  to!: number;

  @Field(() => ReceiptGapStatusValue)
  status!: ReceiptGapStatusValue;
}

@ObjectType("Till", { description: "A device of the shop that records sales on its own credential." })
export class TillType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "Short per-shop code, T01, T02, ... in the order tills were created." })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => DateTimeISOResolver)
  createdAt!: Date;

  @Field(() => DateTimeISOResolver, { nullable: true, description: "When the device used its pairing code; null until then." })
  pairedAt!: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: "Last request from the till, to the minute." })
  lastSeenAt!: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: "When it was revoked (unpaired); its sales are kept." })
  revokedAt!: Date | null;

  @Field(() => Int, { nullable: true, description: "Sales the till still held unsent at its latest report (tillState); null before any." })
  unsentCount!: number | null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: "When the till last reported its outbox (tillState with a sync)." })
  stateReportedAt!: Date | null;

  @Field(() => Int, { description: "Refused sales of this till that had no usable clientTempId, so could not be kept one by one." })
  unidentifiedRejections!: number;
}

@ObjectType("TillPairing")
export class TillPairingType {
  @Field(() => String, { description: "8 characters to type at the new till (POST /api/tills/pair); single use." })
  code!: string;

  @Field(() => DateTimeISOResolver, { description: "10 minutes after it was created." })
  expiresAt!: Date;

  @Field(() => TillType)
  till!: TillType;
}
