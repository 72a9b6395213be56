import { DateTimeISOResolver } from "graphql-scalars";
import { Field, Float, ID, Int, ObjectType } from "type-graphql";

@ObjectType("SaleItem")
export class SaleItemType {
  @Field(() => ID)
  id!: string;

  productId!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => Float, { description: "Unit price charged at the till." })
  price!: number;

  @Field(() => Float)
  discountPercent!: number;

  @Field(() => Float, { description: "price x quantity x (1 - discount), rounded to the cent." })
  lineTotal!: number;
}

@ObjectType("Sale")
export class SaleType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "Human-facing order number, unique per shop, e.g. ORD-ABC123-XYZ." })
  orderId!: string;

  @Field(() => ID, { nullable: true, description: "The till's id for a sale recorded offline." })
  clientTempId!: string | null;

  customerId!: string | null;

  tillId!: string | null;

  staffId!: string | null;

  /** The till's counter as stored; `receiptNumber` writes it with the till's code. */
  receiptCounter!: number | null;

  @Field(() => Float)
  totalAmount!: number;

  @Field(() => DateTimeISOResolver, { description: "When the sale happened at the till." })
  createdAt!: Date;

  @Field(() => DateTimeISOResolver, { description: "When the server recorded it." })
  syncedAt!: Date;

  @Field(() => Boolean, {
    description: "A person should check it (see reviewReasons): the total did not match the lines, the clock was implausible, or the till reused a receipt number.",
  })
  needsReview!: boolean;

  @Field(() => [String])
  reviewReasons!: string[];

  @Field(() => Float, { description: "Cash given back beyond what was owed; 0 without tenders." })
  changeAmount!: number;
}

@ObjectType("SalePage")
export class SalePageType {
  @Field(() => [SaleType])
  items!: SaleType[];

  @Field(() => String, { nullable: true, description: "Pass as `after` for the next (older) page; null at the end." })
  nextCursor!: string | null;
}
