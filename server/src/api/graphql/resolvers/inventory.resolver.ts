import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { toProductType } from "../mappers/catalog.mappers";
import { ProductType } from "../types/product.type";
import type { NotificationEntity } from "../../../db/entities/notification.entity";
import { type GraphQLContext, authOf } from "../context";
import { NotificationKind, NotificationType } from "../types/notification.type";

function toNotificationType(n: NotificationEntity): NotificationType {
  return {
    id: n.id,
    type: NotificationKind[n.type],
    productId: n.productId,
    message: n.message,
    stock: n.stock,
    createdAt: n.createdAt,
    updatedAt: n.updatedAt,
    readAt: n.readAt,
  };
}

@Resolver(() => NotificationType)
export class InventoryResolver {
  @Query(() => [NotificationType], { description: "Newest first." })
  async notifications(
    @Ctx() ctx: GraphQLContext,
    @Arg("unreadOnly", () => Boolean, { nullable: true }) unreadOnly?: boolean | null,
  ): Promise<NotificationType[]> {
    const { auth } = authOf(ctx);
    return (await ctx.services.inventory.notifications(auth, unreadOnly ?? false)).map(toNotificationType);
  }

  @Mutation(() => NotificationType)
  async markNotificationRead(@Ctx() ctx: GraphQLContext, @Arg("id", () => ID) id: string): Promise<NotificationType> {
    const { auth } = authOf(ctx);
    return toNotificationType(await ctx.services.inventory.markNotificationRead(auth, id));
  }

  @Mutation(() => ProductType, { description: "Add (delivery) or remove (count, breakage) stock; recorded in the ledger." })
  async adjustInventory(
    @Ctx() ctx: GraphQLContext,
    @Arg("productId", () => ID) productId: string,
    @Arg("delta", () => Int) delta: number,
    @Arg("reason", () => String) reason: string,
  ): Promise<ProductType> {
    const { auth } = authOf(ctx);
    return toProductType(await ctx.services.inventory.adjust(auth, productId, delta, reason));
  }

  @FieldResolver(() => ProductType)
  async product(@Root() notification: NotificationType, @Ctx() ctx: GraphQLContext): Promise<ProductType> {
    const product = await authOf(ctx).loaders.product.load(notification.productId);
    if (!product) throw new Error(`product ${notification.productId} of notification ${notification.id} is missing`);
    return toProductType(product);
  }
}
