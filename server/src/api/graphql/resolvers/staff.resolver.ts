import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { type GraphQLContext, authOf } from "../context";
import { toStaffMemberType } from "../mappers/account.mappers";
import { StaffMemberType } from "../types/account.type";

@Resolver(() => StaffMemberType)
export class StaffResolver {
  @Query(() => [StaffMemberType], {
    description: "The shop's members with what a till needs to check their PINs offline (staff:read: owner, manager, till).",
  })
  async staff(@Ctx() ctx: GraphQLContext): Promise<StaffMemberType[]> {
    const { auth } = authOf(ctx);
    return (await ctx.services.staff.list(auth)).map(toStaffMemberType);
  }

  @Mutation(() => StaffMemberType, {
    description: "Sets a member's PIN (4 to 8 digits): a manager for anyone, every user for themselves. Never a sign-in to the server.",
  })
  async setStaffPin(
    @Ctx() ctx: GraphQLContext,
    @Arg("userId", () => ID) userId: string,
    @Arg("pin", () => String) pin: string,
  ): Promise<StaffMemberType> {
    const { auth } = authOf(ctx);
    return toStaffMemberType(await ctx.services.staff.setPin(auth, userId, pin));
  }
}
