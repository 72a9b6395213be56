import { DateTimeISOResolver } from "graphql-scalars";
import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { TillType } from "./till.type";

export enum AttentionKindValue {
  REJECTION = "rejection",
  REVIEW = "review",
  MISSING_RECEIPTS = "missing_receipts",
  NEGATIVE_STOCK = "negative_stock",
  SILENT_TILL = "silent_till",
  REFUND_REVIEW = "refund_review",
}
registerEnumType(AttentionKindValue, {
  name: "AttentionKind",
  valuesConfig: {
    REJECTION: { description: "A sale the server refused, kept with its payload (refersTo: SALE_REJECTION)." },
    REVIEW: { description: "A recorded sale flagged for review: total mismatch, implausible clock, reused receipt number (SALE)." },
    MISSING_RECEIPTS: { description: "Receipt numbers the server never got and the till does not report holding (TILL)." },
    NEGATIVE_STOCK: { description: "A product below zero stock (PRODUCT)." },
    SILENT_TILL: { description: "A till not seen for TILL_SILENCE_HOURS whose last report had unsent sales (TILL)." },
    REFUND_REVIEW: { description: "A recorded refund flagged for review: unlinked, beyond what was sold, tenders off (REFUND)." },
  },
});

export enum ReferentKindValue {
  SALE_REJECTION = "sale_rejection",
  SALE = "sale",
  TILL = "till",
  PRODUCT = "product",
  REFUND = "refund",
}
registerEnumType(ReferentKindValue, { name: "AttentionReferentKind" });

@ObjectType("AttentionReferent")
export class AttentionReferentType {
  @Field(() => ReferentKindValue)
  kind!: ReferentKindValue;

  @Field(() => ID)
  id!: string;
}

@ObjectType("AttentionResolution")
export class AttentionResolutionType {
  @Field(() => DateTimeISOResolver)
  resolvedAt!: Date;

  @Field(() => ID, { nullable: true, description: "The user who resolved it; null when a later sync resolved a rejection." })
  resolvedBy!: string | null;

  @Field(() => String, { nullable: true })
  note!: string | null;
}

@ObjectType("AttentionItem", { description: "One thing a person must look at." })
export class AttentionItemType {
  @Field(() => ID, { description: "Stable: derived from the kind and what it refers to (rejection:<id>, gap:<tillId>:<from>-<to>, ...)." })
  id!: string;

  @Field(() => AttentionKindValue)
  kind!: AttentionKindValue;

  tillId!: string | null;

  @Field(() => TillType, { nullable: true })
  till!: TillType | null;

  @Field(() => DateTimeISOResolver, { description: "When it happened, or was last seen to happen." })
  at!: Date;

  @Field(() => String, { description: "A sentence for a person." })
  message!: string;

  @Field(() => AttentionReferentType)
  refersTo!: AttentionReferentType;

  @Field(() => AttentionResolutionType, { nullable: true, description: "Set when resolved (listed only with includeResolved)." })
  resolution!: AttentionResolutionType | null;
}
