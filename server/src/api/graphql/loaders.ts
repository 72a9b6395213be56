import DataLoader from "dataloader";
import type { StaffMember } from "../../auth/staff.service";
import type { TillEntity } from "../../db/entities/till.entity";
import type { CustomerEntity } from "../../db/entities/customer.entity";
import type { ProductEntity } from "../../db/entities/product.entity";
import type { SaleItemEntity } from "../../db/entities/sale-item.entity";
import type { Services } from "../../services";
import type { RequestContext } from "../../auth/request-context";
import type { ReceiptGap } from "../../receipts/receipt-gaps";

/** Per request and per shop, so a list of 200 sales costs three queries, not 600, and never mixes shops. */
export type Loaders = {
  product: DataLoader<string, ProductEntity | null>;
  customer: DataLoader<string, CustomerEntity | null>;
  saleItems: DataLoader<string, SaleItemEntity[]>;
  till: DataLoader<string, TillEntity | null>;
  staff: DataLoader<string, Omit<StaffMember, "pinHash"> | null>;
  receiptGaps: DataLoader<string, ReceiptGap[]>;
  highestReceipt: DataLoader<string, number | null>;
};

export function createLoaders(auth: RequestContext, services: Services): Loaders {
  const { shopId } = auth;
  return {
    product: new DataLoader(async (ids) => {
      const found = await services.products.byIds(shopId, ids);
      return ids.map((id) => found.get(id) ?? null);
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
  };
}
