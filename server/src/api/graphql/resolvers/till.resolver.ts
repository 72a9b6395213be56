import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { type GraphQLContext, authOf } from "../context";
import { toTillType } from "../mappers/account.mappers";
import { ReceiptGapStatusValue, ReceiptGapType, TillPairingType, TillType } from "../types/till.type";

const GAP_STATUS = { pending: ReceiptGapStatusValue.PENDING, rejected: ReceiptGapStatusValue.REJECTED, missing: ReceiptGapStatusValue.MISSING };

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

  @FieldResolver(() => [ReceiptGapType], {
    description: "Every run of receipt numbers between 1 and highestReceipt that the server has not received, lowest first.",
  })
  async receiptGaps(@Root() till: TillType, @Ctx() ctx: GraphQLContext): Promise<ReceiptGapType[]> {
    const gaps = await authOf(ctx).loaders.receiptGaps.load(till.id);
    return gaps.map((g) => ({ from: g.from, to: g.to, status: GAP_STATUS[g.status] }));
  }

  @FieldResolver(() => Int, { nullable: true, description: "The highest receipt number received from this till; null before any." })
  async highestReceipt(@Root() till: TillType, @Ctx() ctx: GraphQLContext): Promise<number | null> {
    return authOf(ctx).loaders.highestReceipt.load(till.id);
  }
}
