import { Arg, Ctx, FieldResolver, Float, Int, Query, Resolver, Root } from "type-graphql";
import type { PaymentRow, RefundRow } from "../../../sales/refund.service";
import { centsToAmount } from "../../../shared/money";
import { formatReceipt } from "../../../shared/receipt-number";
import { type GraphQLContext, authOf } from "../context";
import { toTillType } from "../mappers/account.mappers";
import { toProductType } from "../mappers/catalog.mappers";
import { SaleStaffType } from "../types/account.type";
import { type PaymentMethodValue, PaymentType } from "../types/payment.type";
import { ProductType } from "../types/product.type";
import { RefundLineType, RefundPageType, RefundType } from "../types/refund.type";
import { SaleType } from "../types/sale.type";
import { TillType } from "../types/till.type";
import { toSaleType } from "./sale.resolver";

export function toRefundType(r: RefundRow): RefundType {
  return {
    id: r.id,
    clientTempId: r.clientTempId,
    saleId: r.saleId,
    saleRef: { clientTempId: r.saleClientTempId, serverId: r.saleServerId },
    totalAmount: centsToAmount(r.totalCents),
    reason: r.reason,
    restock: r.restock,
    createdAt: r.refundedAt,
    syncedAt: r.syncedAt,
    tillId: r.tillId,
    staffId: r.staffId,
    receiptCounter: r.receiptNumber,
    needsReview: r.needsReview,
    reviewReasons: r.reviewReasons,
  };
}

const toPaymentType = (p: PaymentRow): PaymentType => ({
  method: p.method as PaymentMethodValue,
  amount: centsToAmount(p.amountCents),
  reference: p.reference,
  offline: p.offline,
});

@Resolver(() => RefundType)
export class RefundResolver {
  @Query(() => RefundPageType, { description: "Newest first (by when the refund happened), keyset-paginated." })
  async refunds(
    @Ctx() ctx: GraphQLContext,
    @Arg("first", () => Int, { defaultValue: 50, description: "1..200" }) first: number,
    @Arg("after", () => String, { nullable: true }) after?: string | null,
  ): Promise<RefundPageType> {
    const { auth } = authOf(ctx);
    const page = await ctx.services.refunds.list(auth, first, after);
    return { items: page.items.map(toRefundType), nextCursor: page.nextCursor };
  }

  @FieldResolver(() => SaleType, { nullable: true, description: "The refunded sale; null while it is not on the server (or was refused)." })
  async sale(@Root() refund: RefundType, @Ctx() ctx: GraphQLContext): Promise<SaleType | null> {
    if (!refund.saleId) return null;
    const sale = await authOf(ctx).loaders.sale.load(refund.saleId);
    return sale && toSaleType(sale);
  }

  @FieldResolver(() => [RefundLineType])
  async lines(@Root() refund: RefundType, @Ctx() ctx: GraphQLContext): Promise<RefundLineType[]> {
    const lines = await authOf(ctx).loaders.refundLines.load(refund.id);
    return lines.map((l) => ({ productId: l.productId, quantity: l.quantity, amount: centsToAmount(l.amountCents) }));
  }

  @FieldResolver(() => [PaymentType])
  async payments(@Root() refund: RefundType, @Ctx() ctx: GraphQLContext): Promise<PaymentType[]> {
    return (await authOf(ctx).loaders.refundPayments.load(refund.id)).map(toPaymentType);
  }

  @FieldResolver(() => String, { nullable: true, description: "T03-000125: the till's receipt journal is shared by its sales and refunds." })
  async receiptNumber(@Root() refund: RefundType, @Ctx() ctx: GraphQLContext): Promise<string | null> {
    if (!refund.tillId || refund.receiptCounter === null) return null;
    const till = await authOf(ctx).loaders.till.load(refund.tillId);
    return till && formatReceipt(till.code, refund.receiptCounter);
  }

  @FieldResolver(() => TillType, { nullable: true })
  async till(@Root() refund: RefundType, @Ctx() ctx: GraphQLContext): Promise<TillType | null> {
    if (!refund.tillId) return null;
    const till = await authOf(ctx).loaders.till.load(refund.tillId);
    return till && toTillType(till);
  }

  @FieldResolver(() => SaleStaffType, { nullable: true })
  async staff(@Root() refund: RefundType, @Ctx() ctx: GraphQLContext): Promise<SaleStaffType | null> {
    if (!refund.staffId) return null;
    const member = await authOf(ctx).loaders.staff.load(refund.staffId);
    return member && { id: member.id, name: member.name };
  }
}

@Resolver(() => RefundLineType)
export class RefundLineResolver {
  @FieldResolver(() => ProductType)
  async product(@Root() line: RefundLineType, @Ctx() ctx: GraphQLContext): Promise<ProductType> {
    const product = await authOf(ctx).loaders.product.load(line.productId);
    if (!product) throw new Error(`product ${line.productId} of a refund line is missing`);
    return toProductType(product);
  }
}

/** The sale's side of refunds and tenders. */
@Resolver(() => SaleType)
export class SaleMoneyResolver {
  @FieldResolver(() => [RefundType], { description: "The refunds linked to this sale, oldest first." })
  async refunds(@Root() sale: SaleType, @Ctx() ctx: GraphQLContext): Promise<RefundType[]> {
    return (await authOf(ctx).loaders.refundsBySale.load(sale.id)).map(toRefundType);
  }

  @FieldResolver(() => Float, { description: "The sum of the linked refunds' totals." })
  async refundedAmount(@Root() sale: SaleType, @Ctx() ctx: GraphQLContext): Promise<number> {
    const refunds = await authOf(ctx).loaders.refundsBySale.load(sale.id);
    return centsToAmount(refunds.reduce((sum, r) => sum + r.totalCents, 0));
  }

  @FieldResolver(() => [PaymentType], { description: "The tenders, in the order the till gave them; empty when it sent none." })
  async payments(@Root() sale: SaleType, @Ctx() ctx: GraphQLContext): Promise<PaymentType[]> {
    return (await authOf(ctx).loaders.salePayments.load(sale.id)).map(toPaymentType);
  }
}
