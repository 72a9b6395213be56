import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { CustomerType } from "./customer.type";
import { ProductType } from "./product.type";

export enum CatalogKindValue {
  PRODUCT = "PRODUCT",
  CUSTOMER = "CUSTOMER",
}
registerEnumType(CatalogKindValue, { name: "CatalogKind" });

@ObjectType("ArchivedEntry", { description: "A tombstone: the till drops this product or customer from what it offers." })
export class ArchivedEntryType {
  @Field(() => ID)
  id!: string;

  @Field(() => CatalogKindValue)
  kind!: CatalogKindValue;
}

@ObjectType("CatalogPage", {
  description:
    "One page of the shop's catalogue changes: each changed product and customer once, as it is now (stock is the server's figure), " +
    "archived ones as tombstones. Keep `cursor` and pass it as `since` next time; while `hasMore`, ask again at once.",
})
export class CatalogPageType {
  @Field(() => [ProductType])
  products!: ProductType[];

  @Field(() => [CustomerType])
  customers!: CustomerType[];

  @Field(() => [ArchivedEntryType])
  archived!: ArchivedEntryType[];

  @Field(() => String, { description: "Opaque, bound to this shop: where the next delta starts. Never passes a change still being written." })
  cursor!: string;

  @Field(() => Boolean, { description: "More changes are ready now: ask again with `cursor`." })
  hasMore!: boolean;
}
