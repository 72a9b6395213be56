import { DateTimeISOResolver } from "graphql-scalars";
import { Field, Float, ID, Int, ObjectType } from "type-graphql";

@ObjectType("SaleRef", { description: "The refunded sale as the till named it." })
export class SaleRefType {
  @Field(() => ID, { nullable: true })
  clientTempId!: string | null;

  @Field(() => ID, { nullable: true })
  serverId!: string | null;
}

@ObjectType("RefundLine")
export class RefundLineType {
  productId!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => Float)
  amount!: number;
}

@ObjectType("Refund")
export class RefundType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  clientTempId!: string;

  saleId!: string | null;

  @Field(() => SaleRefType)
  saleRef!: SaleRefType;

  @Field(() => Float)
  totalAmount!: number;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => Boolean)
  restock!: boolean;

  @Field(() => DateTimeISOResolver, { description: "When the refund happened at the till." })
  createdAt!: Date;

  @Field(() => DateTimeISOResolver, { description: "When the server recorded it." })
  syncedAt!: Date;

  tillId!: string | null;

  staffId!: string | null;

  receiptCounter!: number | null;

  @Field(() => Boolean, { description: "A person should check it (see reviewReasons): unlinked, beyond what was sold, tenders off." })
  needsReview!: boolean;

  @Field(() => [String])
  reviewReasons!: string[];
}

@ObjectType("RefundPage")
export class RefundPageType {
  @Field(() => [RefundType])
  items!: RefundType[];

  @Field(() => String, { nullable: true, description: "Pass as `after` for the next (older) page; null at the end." })
  nextCursor!: string | null;
}

@ObjectType("ShopSettings")
export class ShopSettingsType {
  @Field(() => Float, { nullable: true, description: "A card payment recorded offline above it is flagged (and the client refuses it offline); null: no limit." })
  offlineCardLimit!: number | null;
}
