import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import { type GraphQLContext, authOf } from "../context";
import { OfflineSaleInput, SyncOfflineSalesResultType, SyncStatusValue } from "../types/sync.type";

@Resolver()
export class SyncResolver {
  @Mutation(() => SyncOfflineSalesResultType, {
    description: "Idempotent per (shop, clientTempId): safe to retry. Per-sale errors come back in `errors`.",
  })
  async syncOfflineSales(
    @Ctx() ctx: GraphQLContext,
    @Arg("sales", () => [OfflineSaleInput]) sales: OfflineSaleInput[],
  ): Promise<SyncOfflineSalesResultType> {
    const { auth } = authOf(ctx);
    const result = await ctx.services.sync.syncOfflineSales(auth, sales);
    return {
      synced: result.synced.map((s) => ({ ...s, status: s.status === "created" ? SyncStatusValue.CREATED : SyncStatusValue.EXISTING })),
      errors: result.errors,
    };
  }
}
