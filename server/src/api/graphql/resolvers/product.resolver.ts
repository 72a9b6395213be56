import { Arg, Ctx, FieldResolver, Float, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { centsToAmount } from "../../../shared/money";
import { type GraphQLContext, authOf } from "../context";
import { toProductType } from "../mappers/catalog.mappers";
import { CreateProductInput, PricePointType, ProductType } from "../types/product.type";

@Resolver(() => ProductType)
export class ProductResolver {
  @Query(() => [ProductType], { description: "The shop's products on sale by name (archived ones are not listed); `search` matches name or SKU." })
  async products(
    @Ctx() ctx: GraphQLContext,
    @Arg("search", () => String, { nullable: true }) search?: string | null,
  ): Promise<ProductType[]> {
    const { auth } = authOf(ctx);
    return (await ctx.services.products.list(auth, search)).map(toProductType);
  }

  @Query(() => ProductType, { nullable: true, description: "A product of the shop, archived ones included (with `archivedAt`)." })
  async product(@Ctx() ctx: GraphQLContext, @Arg("id", () => ID) id: string): Promise<ProductType | null> {
    const { auth } = authOf(ctx);
    const product = await ctx.services.products.get(auth, id);
    return product && toProductType(product);
  }

  @Mutation(() => ProductType)
  async createProduct(@Ctx() ctx: GraphQLContext, @Arg("input", () => CreateProductInput) input: CreateProductInput): Promise<ProductType> {
    const { auth } = authOf(ctx);
    return toProductType(await ctx.services.products.create(auth, input));
  }

  @Mutation(() => ProductType, {
    description: "Changes a product (absent arguments stay as they are). A new price is kept in `priceHistory`, effective now. Stock changes go through adjustInventory.",
  })
  async updateProduct(
    @Ctx() ctx: GraphQLContext,
    @Arg("id", () => ID) id: string,
    @Arg("name", () => String, { nullable: true }) name?: string | null,
    @Arg("sku", () => String, { nullable: true }) sku?: string | null,
    @Arg("price", () => Float, { nullable: true }) price?: number | null,
    @Arg("lowStockThreshold", () => Int, { nullable: true }) lowStockThreshold?: number | null,
  ): Promise<ProductType> {
    const { auth } = authOf(ctx);
    return toProductType(await ctx.services.products.update(auth, id, { name, sku, price, lowStockThreshold }));
  }

  @Mutation(() => ProductType, {
    description: "Archives a product instead of deleting it: it leaves `products` and tills get a tombstone; its sales stay. Idempotent.",
  })
  async archiveProduct(@Ctx() ctx: GraphQLContext, @Arg("id", () => ID) id: string): Promise<ProductType> {
    const { auth } = authOf(ctx);
    return toProductType(await ctx.services.products.archive(auth, id));
  }

  @FieldResolver(() => [PricePointType], { description: "Every list price with when it took effect, oldest first." })
  async priceHistory(@Root() product: ProductType, @Ctx() ctx: GraphQLContext): Promise<PricePointType[]> {
    const { loaders } = authOf(ctx);
    const points = await loaders.priceHistory.load(product.id);
    return points.map((p) => ({ price: centsToAmount(p.priceCents), validFrom: p.validFrom }));
  }
}
