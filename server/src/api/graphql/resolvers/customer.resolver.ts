import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { type GraphQLContext, authOf } from "../context";
import { toCustomerType } from "../mappers/catalog.mappers";
import { CreateCustomerInput, CustomerType } from "../types/customer.type";
import { SalePageType } from "../types/sale.type";
import { toSaleType } from "./sale.resolver";

@Resolver(() => CustomerType)
export class CustomerResolver {
  @Query(() => [CustomerType])
  async customers(@Ctx() ctx: GraphQLContext): Promise<CustomerType[]> {
    const { auth } = authOf(ctx);
    return (await ctx.services.customers.list(auth)).map(toCustomerType);
  }

  @Query(() => CustomerType, { nullable: true, description: "One of the shop's customers; null for an unknown id (or another shop's)." })
  async customer(@Ctx() ctx: GraphQLContext, @Arg("id", () => ID) id: string): Promise<CustomerType | null> {
    const { auth } = authOf(ctx);
    const customer = await ctx.services.customers.get(auth, id);
    return customer && toCustomerType(customer);
  }

  @Mutation(() => CustomerType)
  async createCustomer(@Ctx() ctx: GraphQLContext, @Arg("input", () => CreateCustomerInput) input: CreateCustomerInput): Promise<CustomerType> {
    const { auth } = authOf(ctx);
    return toCustomerType(await ctx.services.customers.create(auth, input));
  }

  @FieldResolver(() => SalePageType, { description: "The customer's sales, newest first, with the sales list's cursor." })
  async sales(
    @Root() customer: CustomerType,
    @Ctx() ctx: GraphQLContext,
    @Arg("first", () => Int, { defaultValue: 50, description: "1..200" }) first: number,
    @Arg("after", () => String, { nullable: true }) after?: string | null,
  ): Promise<SalePageType> {
    const { auth } = authOf(ctx);
    const page = await ctx.services.sales.list(auth, first, after, null, customer.id);
    return { items: page.items.map(toSaleType), nextCursor: page.nextCursor };
  }
}
