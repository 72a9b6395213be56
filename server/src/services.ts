import type { Logger } from "pino";
import type { DataSource } from "typeorm";
import { CustomerService } from "./catalog/customer.service";
import { ProductService } from "./catalog/product.service";
import { InventoryService } from "./inventory/inventory.service";
import { SaleService } from "./sales/sale.service";
import { type SyncLimits, type SyncObserver, SyncService } from "./sync/sync.service";

export type Services = {
  sync: SyncService;
  products: ProductService;
  customers: CustomerService;
  sales: SaleService;
  inventory: InventoryService;
};

export function createServices(dataSource: DataSource, limits: SyncLimits, logger: Logger, observeSync?: SyncObserver): Services {
  return {
    sync: new SyncService(dataSource, limits, logger, observeSync),
    products: new ProductService(dataSource),
    customers: new CustomerService(dataSource),
    sales: new SaleService(dataSource),
    inventory: new InventoryService(dataSource),
  };
}
