import { Arg, Ctx, Float, Mutation, Query, Resolver } from "type-graphql";
import type { ShopSettings } from "../../../catalog/shop-settings.service";
import { centsToAmount } from "../../../shared/money";
import { type GraphQLContext, authOf } from "../context";
import { ShopSettingsType } from "../types/refund.type";

const toSettingsType = (s: ShopSettings): ShopSettingsType => ({
  offlineCardLimit: s.offlineCardLimitCents === null ? null : centsToAmount(s.offlineCardLimitCents),
});

@Resolver(() => ShopSettingsType)
export class ShopSettingsResolver {
  @Query(() => ShopSettingsType, { description: "The shop's settings; readable by every role, tills included." })
  async shopSettings(@Ctx() ctx: GraphQLContext): Promise<ShopSettingsType> {
    const { auth } = authOf(ctx);
    return toSettingsType(await ctx.services.shopSettings.get(auth));
  }

  @Mutation(() => ShopSettingsType, { description: "Owner and manager. offlineCardLimit: at most 2 decimals; null: no limit." })
  async updateShopSettings(
    @Ctx() ctx: GraphQLContext,
    @Arg("offlineCardLimit", () => Float, { nullable: true }) offlineCardLimit?: number | null,
  ): Promise<ShopSettingsType> {
    const { auth } = authOf(ctx);
    return toSettingsType(await ctx.services.shopSettings.update(auth, { offlineCardLimit: offlineCardLimit ?? null }));
  }
}
