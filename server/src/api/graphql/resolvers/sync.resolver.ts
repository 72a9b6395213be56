import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { EntityResult } from "../../../sync/entity-outcome";
import type { SyncResult } from "../../../sync/sync.types";
import { type GraphQLContext, authOf } from "../context";
import { EntitySyncResultType, OfflineCustomerInput, OfflineRefundInput, SyncOfflineResultType } from "../types/offline-day.type";
import { OfflineSaleInput, SyncOfflineSalesResultType, SyncStatusValue, TillStateInput } from "../types/sync.type";

const statusOf = (status: "created" | "existing") => (status === "created" ? SyncStatusValue.CREATED : SyncStatusValue.EXISTING);

function toSalesResult(result: SyncResult): SyncOfflineSalesResultType {
  return { synced: result.synced.map((s) => ({ ...s, status: statusOf(s.status) })), errors: result.errors };
}

function toEntityResult(result: EntityResult): EntitySyncResultType {
  return { synced: result.synced.map((s) => ({ ...s, status: statusOf(s.status) })), errors: result.errors };
}

/** DateTimeISO arrives as a Date; the service reads instants as the REST shim sends them, ISO text. */
const withIsoCreatedAt = <T extends { createdAt: Date | string }>(input: T): T => ({
  ...input,
  createdAt: input.createdAt instanceof Date ? input.createdAt.toISOString() : input.createdAt,
});

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
    return toSalesResult(await ctx.services.sync.syncOfflineSales(auth, sales, tillState));
  }

  @Mutation(() => SyncOfflineResultType, {
    description:
      "A till's offline day in one transaction: customers first, then sales (which may name them by customerClientTempId), then refunds " +
      "(of a sale of this request, an earlier one, or one not on the server yet). Each kind is idempotent per (shop, clientTempId).",
  })
  async syncOffline(
    @Ctx() ctx: GraphQLContext,
    @Arg("customers", () => [OfflineCustomerInput], { nullable: true }) customers?: OfflineCustomerInput[] | null,
    @Arg("sales", () => [OfflineSaleInput], { nullable: true }) sales?: OfflineSaleInput[] | null,
    @Arg("refunds", () => [OfflineRefundInput], { nullable: true }) refunds?: OfflineRefundInput[] | null,
    @Arg("tillState", () => TillStateInput, { nullable: true }) tillState?: TillStateInput | null,
  ): Promise<SyncOfflineResultType> {
    const { auth } = authOf(ctx);
    const result = await ctx.services.offlineSync.syncOffline(auth, {
      customers: customers?.map(withIsoCreatedAt),
      sales,
      refunds: refunds?.map(withIsoCreatedAt),
      tillState,
    });
    return { customers: toEntityResult(result.customers), sales: toSalesResult(result.sales), refunds: toEntityResult(result.refunds) };
  }
}
