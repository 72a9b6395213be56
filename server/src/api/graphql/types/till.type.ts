import { DateTimeISOResolver } from "graphql-scalars";
import { Field, ID, ObjectType } from "type-graphql";

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
