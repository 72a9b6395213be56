import { Ctx, Query, Resolver } from "type-graphql";
import { type GraphQLContext, authOf } from "../context";
import { toRoleValue, toTillType } from "../mappers/account.mappers";
import { MeType } from "../types/account.type";

@Resolver(() => MeType)
export class AccountResolver {
  @Query(() => MeType, { description: "The caller: a user and their shops, or a paired till." })
  async me(@Ctx() ctx: GraphQLContext): Promise<MeType> {
    const { auth, loaders } = authOf(ctx);
    const { user, memberships } = await ctx.services.accounts.me(auth);
    const till = auth.tillId ? await loaders.till.load(auth.tillId) : null;
    return {
      user,
      till: till && toTillType(till),
      memberships: memberships.map((m) => ({ ...m, role: toRoleValue(m.role) })),
      shopId: auth.shopId,
      role: toRoleValue(auth.role),
    };
  }
}
