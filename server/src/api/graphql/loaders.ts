import DataLoader from "dataloader";
import type { StaffMember } from "../../auth/staff.service";
import type { TillEntity } from "../../db/entities/till.entity";
import type { CustomerEntity } from "../../db/entities/customer.entity";
import type { ProductEntity } from "../../db/entities/product.entity";
import type { PricePoint } from "../../catalog/product.service";
import type { SaleItemEntity } from "../../db/entities/sale-item.entity";
import type { Services } from "../../services";
import type { RequestContext } from "../../auth/request-context";
import type { ReceiptGap } from "../../receipts/receipt-gaps";
import type { SaleEntity } from "../../db/entities/sale.entity";
import type { PaymentRow, RefundLineRow, RefundRow } from "../../sales/refund.service";

/** Per request and per shop, so a list of 200 sales costs three queries, not 600, and never mixes shops. */
export type Loaders = {
  product: DataLoader<string, ProductEntity | null>;
  priceHistory: DataLoader<string, PricePoint[]>;
  customer: DataLoader<string, CustomerEntity | null>;
  saleItems: DataLoader<string, SaleItemEntity[]>;
  till: DataLoader<string, TillEntity | null>;
  staff: DataLoader<string, Omit<StaffMember, "pinHash"> | null>;
  receiptGaps: DataLoader<string, ReceiptGap[]>;
  highestReceipt: DataLoader<string, number | null>;
  sale: DataLoader<string, SaleEntity | null>;
  refundsBySale: DataLoader<string, RefundRow[]>;
  refundLines: DataLoader<string, RefundLineRow[]>;
  salePayments: DataLoader<string, PaymentRow[]>;
  refundPayments: DataLoader<string, PaymentRow[]>;
};

export function createLoaders(auth: RequestContext, services: Services): Loaders {
  const { shopId } = auth;
  return {
    product: new DataLoader(async (ids) => {
      const found = await services.products.byIds(shopId, ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    priceHistory: new DataLoader(async (ids) => {
      const found = await services.products.priceHistories(shopId, ids);
      return ids.map((id) => found.get(id.toLowerCase()) ?? []);
    }),
    customer: new DataLoader(async (ids) => {
      const found = await services.customers.byIds(shopId, ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    saleItems: new DataLoader(async (saleIds) => {
      const found = await services.sales.itemsBySaleIds(shopId, saleIds);
      return saleIds.map((id) => found.get(id) ?? []);
    }),
    till: new DataLoader(async (ids) => {
      const found = await services.tills.byIds(shopId, ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    staff: new DataLoader(async (ids) => {
      const found = await services.staff.byIds(shopId, ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    receiptGaps: new DataLoader(async (tillIds) => {
      const found = await services.receipts.gapsByTill(auth, tillIds);
      return tillIds.map((id) => found.get(id) ?? []);
    }),
    highestReceipt: new DataLoader(async (tillIds) => {
      const found = await services.receipts.highestByTill(auth, tillIds);
      return tillIds.map((id) => found.get(id) ?? null);
    }),
    ...refundLoaders(shopId, services),
  };
}

function refundLoaders(shopId: string, services: Services): Pick<Loaders, "sale" | "refundsBySale" | "refundLines" | "salePayments" | "refundPayments"> {
  const listed = <V>(load: (ids: readonly string[]) => Promise<Map<string, V[]>>) =>
    new DataLoader<string, V[]>(async (ids) => {
      const found = await load(ids);
      return ids.map((id) => found.get(id) ?? []);
    });
  return {
    sale: new DataLoader(async (ids) => {
      const found = await services.sales.byIds(shopId, ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    refundsBySale: listed((ids) => services.refunds.bySaleIds(shopId, ids)),
    refundLines: listed((ids) => services.refunds.linesByRefundIds(shopId, ids)),
    salePayments: listed((ids) => services.refunds.paymentsOf(shopId, "sale", ids)),
    refundPayments: listed((ids) => services.refunds.paymentsOf(shopId, "refund", ids)),
  };
}
