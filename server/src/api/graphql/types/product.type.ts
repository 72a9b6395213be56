import { DateTimeISOResolver } from "graphql-scalars";
import { Field, Float, ID, InputType, Int, ObjectType } from "type-graphql";

@ObjectType("Product", { description: "An item on sale in one shop." })
export class ProductType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  sku!: string;

  @Field(() => Float, { description: "Current list price, in the shop's currency (exact to the cent)." })
  price!: number;

  @Field(() => Int, { description: "Units on hand; negative when offline sales sold more than was counted." })
  stock!: number;

  @Field(() => Int)
  lowStockThreshold!: number;

  @Field(() => DateTimeISOResolver, {
    nullable: true,
    description: "When the product was archived (archiveProduct); null unless archived. Archived products are not listed by `products`.",
  })
  archivedAt!: Date | null;
}

@ObjectType("PricePoint", { description: "A list price and the instant it took effect." })
export class PricePointType {
  @Field(() => Float)
  price!: number;

  @Field(() => DateTimeISOResolver)
  validFrom!: Date;
}

@InputType("CreateProductInput")
export class CreateProductInput {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  sku!: string;

  @Field(() => Float)
  price!: number;

  @Field(() => Int, { defaultValue: 0 })
  stock!: number;

  @Field(() => Int, { defaultValue: 0 })
  lowStockThreshold!: number;
}
