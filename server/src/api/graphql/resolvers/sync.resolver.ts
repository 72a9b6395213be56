import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import { type GraphQLContext, authOf } from "../context";
import { OfflineSaleInput, SyncOfflineSalesResultType, SyncStatusValue, TillStateInput } from "../types/sync.type";

@Resolver()
export class SyncResolver {
  @Mutation(() => SyncOfflineSalesResultType, {
    description: "Idempotent per (shop, clientTempId): safe to retry. Per-sale errors come back in `errors`.",
  })
  async syncOfflineSales(
    @Ctx() ctx: GraphQLContext,
    @Arg("sales", () => [OfflineSaleInput]) sales: OfflineSaleInput[],
    @Arg("tillState", () => TillStateInput, {
      nullable: true,
      description: "What the till still holds unsent besides this request's sales; kept per till (the latest wins), ignored for a user's token.",
    })
    tillState?: TillStateInput | null,
  ): Promise<SyncOfflineSalesResultType> {
    const { auth } = authOf(ctx);
    const result = await ctx.services.sync.syncOfflineSales(auth, sales, tillState);
    return {
      synced: result.synced.map((s) => ({ ...s, status: s.status === "created" ? SyncStatusValue.CREATED : SyncStatusValue.EXISTING })),
      errors: result.errors,
    };
  }
}
