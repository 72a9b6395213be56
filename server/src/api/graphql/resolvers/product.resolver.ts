import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { type GraphQLContext, authOf } from "../context";
import { toProductType } from "../mappers/catalog.mappers";
import { CreateProductInput, ProductType } from "../types/product.type";

@Resolver(() => ProductType)
export class ProductResolver {
  @Query(() => [ProductType], { description: "The shop's products by name; `search` matches name or SKU." })
  async products(
    @Ctx() ctx: GraphQLContext,
    @Arg("search", () => String, { nullable: true }) search?: string | null,
  ): Promise<ProductType[]> {
    const { auth } = authOf(ctx);
    return (await ctx.services.products.list(auth, search)).map(toProductType);
  }

  @Query(() => ProductType, { nullable: true })
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
}
