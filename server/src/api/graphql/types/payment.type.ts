import { Field, Float, InputType, ObjectType, registerEnumType } from "type-graphql";

export enum PaymentMethodValue {
  CASH = "CASH",
  CARD = "CARD",
  VOUCHER = "VOUCHER",
  OTHER = "OTHER",
}
registerEnumType(PaymentMethodValue, { name: "PaymentMethod" });

@InputType("PaymentInput")
export class PaymentInput {
  @Field(() => PaymentMethodValue)
  method!: PaymentMethodValue;

  @Field(() => Float, { description: "> 0, at most 2 decimals." })
  amount!: number;

  @Field(() => String, { nullable: true, description: "A card slip or voucher number; at most 200 characters." })
  reference?: string | null;

  @Field(() => Boolean, { nullable: true, description: "The till recorded it without a connection (an offline card payment is checked against the shop's offlineCardLimit)." })
  offline?: boolean | null;
}

@ObjectType("Payment")
export class PaymentType {
  @Field(() => PaymentMethodValue)
  method!: PaymentMethodValue;

  @Field(() => Float)
  amount!: number;

  @Field(() => String, { nullable: true })
  reference!: string | null;

  @Field(() => Boolean)
  offline!: boolean;
}
