import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import { toCustomerType, toProductType } from "../mappers/catalog.mappers";
import { CustomerType } from "../types/customer.type";
import { ProductType } from "../types/product.type";
import type { SaleItemEntity } from "../../../db/entities/sale-item.entity";
import type { SaleEntity } from "../../../db/entities/sale.entity";
import { type GraphQLContext, authOf } from "../context";
import { centsToAmount } from "../../../shared/money";
import { SaleItemType, SalePageType, SaleType } from "../types/sale.type";
import { toTillType } from "../mappers/account.mappers";
import { SaleStaffType } from "../types/account.type";
import { TillType } from "../types/till.type";
import { ValidationError } from "../../../shared/errors";
import { formatReceipt } from "../../../shared/receipt-number";

export function toSaleType(s: SaleEntity): SaleType {
  return {
    id: s.id,
    orderId: s.orderId,
    clientTempId: s.clientTempId,
    customerId: s.customerId,
    tillId: s.tillId,
    staffId: s.staffId,
    receiptCounter: s.receiptNumber,
    totalAmount: centsToAmount(s.totalCents),
    createdAt: s.soldAt,
    syncedAt: s.syncedAt,
    needsReview: s.needsReview,
    reviewReasons: s.reviewReasons,
    changeAmount: centsToAmount(s.changeCents ?? 0),
  };
}

function toSaleItemType(i: SaleItemEntity): SaleItemType {
  return {
    id: i.id,
    productId: i.productId,
    quantity: i.quantity,
    price: centsToAmount(i.unitPriceCents),
    discountPercent: i.discountPercent,
    lineTotal: centsToAmount(i.lineTotalCents),
  };
}

@Resolver(() => SaleType)
export class SaleResolver {
  @Query(() => SalePageType, { description: "Newest first (by when the sale happened), keyset-paginated." })
  async sales(
    @Ctx() ctx: GraphQLContext,
    @Arg("first", () => Int, { defaultValue: 50, description: "1..200" }) first: number,
    @Arg("after", () => String, { nullable: true }) after?: string | null,
    @Arg("receipt", () => String, {
      nullable: true,
      description: "Only the sales with this receipt number: T03-000124 (that till), or the counter alone, 124 (any till).",
    })
    receipt?: string | null,
  ): Promise<SalePageType> {
    const { auth } = authOf(ctx);
    const page = await ctx.services.sales.list(auth, first, after, receipt);
    return { items: page.items.map(toSaleType), nextCursor: page.nextCursor };
  }

  @Query(() => SaleType, { nullable: true, description: "By id, or by the receipt number printed at the till (T03-000124): exactly one of them." })
  async sale(
    @Ctx() ctx: GraphQLContext,
    @Arg("id", () => ID, { nullable: true }) id?: string | null,
    @Arg("receipt", () => String, { nullable: true }) receipt?: string | null,
  ): Promise<SaleType | null> {
    const { auth } = authOf(ctx);
    if ((id == null) === (receipt == null)) throw new ValidationError("id", "give exactly one of id and receipt");
    const sale = id != null ? await ctx.services.sales.get(auth, id) : await ctx.services.sales.getByReceipt(auth, receipt!);
    return sale && toSaleType(sale);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The receipt number printed at the till: its code and counter, T03-000124. Null for a sale without a till or without a number.",
  })
  async receiptNumber(@Root() sale: SaleType, @Ctx() ctx: GraphQLContext): Promise<string | null> {
    if (!sale.tillId || sale.receiptCounter === null) return null;
    const till = await authOf(ctx).loaders.till.load(sale.tillId);
    return till && formatReceipt(till.code, sale.receiptCounter);
  }

  @FieldResolver(() => CustomerType, { nullable: true })
  async customer(@Root() sale: SaleType, @Ctx() ctx: GraphQLContext): Promise<CustomerType | null> {
    if (!sale.customerId) return null;
    const customer = await authOf(ctx).loaders.customer.load(sale.customerId);
    return customer && toCustomerType(customer);
  }

  @FieldResolver(() => TillType, { nullable: true, description: "The till whose credential recorded the sale; null for a user's token." })
  async till(@Root() sale: SaleType, @Ctx() ctx: GraphQLContext): Promise<TillType | null> {
    if (!sale.tillId) return null;
    const till = await authOf(ctx).loaders.till.load(sale.tillId);
    return till && toTillType(till);
  }

  @FieldResolver(() => SaleStaffType, { nullable: true, description: "The cashier the till said made the sale (staffId)." })
  async staff(@Root() sale: SaleType, @Ctx() ctx: GraphQLContext): Promise<SaleStaffType | null> {
    if (!sale.staffId) return null;
    const member = await authOf(ctx).loaders.staff.load(sale.staffId);
    return member && { id: member.id, name: member.name };
  }

  @FieldResolver(() => [SaleItemType])
  async items(@Root() sale: SaleType, @Ctx() ctx: GraphQLContext): Promise<SaleItemType[]> {
    return (await authOf(ctx).loaders.saleItems.load(sale.id)).map(toSaleItemType);
  }
}

@Resolver(() => SaleItemType)
export class SaleItemResolver {
  @FieldResolver(() => ProductType)
  async product(@Root() item: SaleItemType, @Ctx() ctx: GraphQLContext): Promise<ProductType> {
    const product = await authOf(ctx).loaders.product.load(item.productId);
    // The composite foreign key guarantees the product exists in the sale's shop.
    if (!product) throw new Error(`product ${item.productId} of sale item ${item.id} is missing`);
    return toProductType(product);
  }
}
