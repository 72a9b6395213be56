import type { Logger } from "pino";
import type { DataSource } from "typeorm";
import { AccountService } from "./auth/account.service";
import type { AuthSettings } from "./auth/session-tokens";
import { StaffService } from "./auth/staff.service";
import { TillService } from "./auth/till.service";
import { type AppConfig, loadConfig } from "./config/config";
import { CustomerService } from "./catalog/customer.service";
import { ProductService } from "./catalog/product.service";
import { InventoryService } from "./inventory/inventory.service";
import { SaleService } from "./sales/sale.service";
import { ReceiptService } from "./receipts/receipt.service";
import { AttentionService, type AttentionSettings } from "./attention/attention.service";
import { type SyncLimits, type SyncObserver, SyncService } from "./sync/sync.service";
import { OfflineSyncService } from "./sync/offline-sync.service";
import { RefundService } from "./sales/refund.service";
import { ShopSettingsService } from "./catalog/shop-settings.service";
import { CatalogFeedService } from "./catalog/catalog-feed.service";

export type Services = {
  sync: SyncService;
  offlineSync: OfflineSyncService;
  refunds: RefundService;
  shopSettings: ShopSettingsService;
  products: ProductService;
  catalog: CatalogFeedService;
  customers: CustomerService;
  sales: SaleService;
  inventory: InventoryService;
  accounts: AccountService;
  tills: TillService;
  staff: StaffService;
  receipts: ReceiptService;
  attention: AttentionService;
};

/** Signing in as configured: the JWT secret and the token lifetimes. */
export function authSettingsOf(config: Pick<AppConfig, "jwtSecret" | "auth">): AuthSettings {
  const { accessTokenTtlSeconds, refreshTokenTtlSeconds, refreshReuseGraceSeconds } = config.auth;
  return {
    jwtSecret: config.jwtSecret,
    accessTokenTtlSeconds,
    refresh: { ttlSeconds: refreshTokenTtlSeconds, reuseGraceSeconds: refreshReuseGraceSeconds },
  };
}

export function createServices(
  dataSource: DataSource,
  limits: SyncLimits,
  logger: Logger,
  observeSync?: SyncObserver,
  auth: AuthSettings = authSettingsOf(loadConfig({})),
  attention: AttentionSettings = loadConfig({}).attention,
): Services {
  const sync = new SyncService(dataSource, limits, logger, observeSync);
  return {
    sync,
    offlineSync: new OfflineSyncService(dataSource, limits, logger, sync),
    refunds: new RefundService(dataSource),
    shopSettings: new ShopSettingsService(dataSource),
    products: new ProductService(dataSource),
    catalog: new CatalogFeedService(dataSource, auth.jwtSecret),
    customers: new CustomerService(dataSource),
    sales: new SaleService(dataSource),
    inventory: new InventoryService(dataSource),
    accounts: new AccountService(dataSource, auth, logger),
    tills: new TillService(dataSource, auth),
    staff: new StaffService(dataSource),
    receipts: new ReceiptService(dataSource),
    attention: new AttentionService(dataSource, attention),
  };
}
