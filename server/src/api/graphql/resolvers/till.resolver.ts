import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { type GraphQLContext, authOf } from "../context";
import { toTillType } from "../mappers/account.mappers";
import { TillPairingType, TillType } from "../types/till.type";

@Resolver(() => TillType)
export class TillResolver {
  @Query(() => [TillType], { description: "The shop's tills, oldest first (tills:manage: owner, manager)." })
  async tills(@Ctx() ctx: GraphQLContext): Promise<TillType[]> {
    const { auth } = authOf(ctx);
    return (await ctx.services.tills.list(auth)).map(toTillType);
  }

  @Mutation(() => TillPairingType, {
    description: "A new till and its single-use pairing code, valid 10 minutes: type it at the device (POST /api/tills/pair).",
  })
  async createTillPairing(@Ctx() ctx: GraphQLContext, @Arg("name", () => String) name: string): Promise<TillPairingType> {
    const { auth } = authOf(ctx);
    const pairing = await ctx.services.tills.createPairing(auth, name);
    return { code: pairing.code, expiresAt: pairing.expiresAt, till: toTillType(pairing.till) };
  }

  @Mutation(() => TillType, {
    description: "Unpairs a till: its refresh fails at once, its access tokens within 5 seconds. Its sales are kept.",
  })
  async revokeTill(@Ctx() ctx: GraphQLContext, @Arg("id", () => ID) id: string): Promise<TillType> {
    const { auth } = authOf(ctx);
    return toTillType(await ctx.services.tills.revoke(auth, id));
  }
}
