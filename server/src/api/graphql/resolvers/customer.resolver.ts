import { Arg, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { type GraphQLContext, authOf } from "../context";
import { toCustomerType } from "../mappers/catalog.mappers";
import { CreateCustomerInput, CustomerType } from "../types/customer.type";

@Resolver(() => CustomerType)
export class CustomerResolver {
  @Query(() => [CustomerType])
  async customers(@Ctx() ctx: GraphQLContext): Promise<CustomerType[]> {
    const { auth } = authOf(ctx);
    return (await ctx.services.customers.list(auth)).map(toCustomerType);
  }

  @Mutation(() => CustomerType)
  async createCustomer(@Ctx() ctx: GraphQLContext, @Arg("input", () => CreateCustomerInput) input: CreateCustomerInput): Promise<CustomerType> {
    const { auth } = authOf(ctx);
    return toCustomerType(await ctx.services.customers.create(auth, input));
  }
}
