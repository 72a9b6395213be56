import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AttentionItem, AttentionKind, ReferentKind } from "../../../attention/attention-item";
import { type GraphQLContext, authOf } from "../context";
import { toTillType } from "../mappers/account.mappers";
import { AttentionItemType, AttentionKindValue, ReferentKindValue } from "../types/attention.type";
import { TillType } from "../types/till.type";

const KINDS: Record<AttentionKind, AttentionKindValue> = {
  rejection: AttentionKindValue.REJECTION,
  review: AttentionKindValue.REVIEW,
  missing_receipts: AttentionKindValue.MISSING_RECEIPTS,
  negative_stock: AttentionKindValue.NEGATIVE_STOCK,
  silent_till: AttentionKindValue.SILENT_TILL,
  refund_review: AttentionKindValue.REFUND_REVIEW,
};
const REFERENTS: Record<ReferentKind, ReferentKindValue> = {
  sale_rejection: ReferentKindValue.SALE_REJECTION,
  sale: ReferentKindValue.SALE,
  till: ReferentKindValue.TILL,
  product: ReferentKindValue.PRODUCT,
  refund: ReferentKindValue.REFUND,
};

function toAttentionItemType(item: AttentionItem): AttentionItemType {
  return {
    id: item.id,
    kind: KINDS[item.kind],
    tillId: item.tillId,
    till: null,
    at: item.at,
    message: item.message,
    refersTo: { kind: REFERENTS[item.refersTo.kind], id: item.refersTo.id },
    resolution: item.resolution,
  };
}

@Resolver(() => AttentionItemType)
export class AttentionResolver {
  @Query(() => [AttentionItemType], { description: "What needs a person, newest first (attention:read: owner, manager)." })
  async attention(
    @Ctx() ctx: GraphQLContext,
    @Arg("first", () => Int, { defaultValue: 50, description: "1..200" }) first: number,
    @Arg("includeResolved", () => Boolean, { defaultValue: false }) includeResolved: boolean,
  ): Promise<AttentionItemType[]> {
    const { auth } = authOf(ctx);
    return (await ctx.services.attention.list(auth, first, includeResolved)).map(toAttentionItemType);
  }

  @Mutation(() => AttentionItemType, {
    description: "Records who resolved the item and when (an audit entry); it stays away until something new happens to it.",
  })
  async resolveAttention(
    @Ctx() ctx: GraphQLContext,
    @Arg("id", () => ID) id: string,
    @Arg("note", () => String, { nullable: true, description: "At most 1,000 characters." }) note?: string | null,
  ): Promise<AttentionItemType> {
    const { auth } = authOf(ctx);
    return toAttentionItemType(await ctx.services.attention.resolve(auth, id, note));
  }

  @FieldResolver(() => TillType, { nullable: true })
  async till(@Root() item: AttentionItemType, @Ctx() ctx: GraphQLContext): Promise<TillType | null> {
    if (!item.tillId) return null;
    const till = await authOf(ctx).loaders.till.load(item.tillId);
    return till && toTillType(till);
  }
}
