import { CustomerEntity } from "./customer.entity";
import { MembershipEntity } from "./membership.entity";
import { NotificationEntity } from "./notification.entity";
import { OfflineSaleSyncEntity } from "./offline-sale-sync.entity";
import { ProductEntity } from "./product.entity";
import { SaleItemEntity } from "./sale-item.entity";
import { SaleEntity } from "./sale.entity";
import { ShopEntity } from "./shop.entity";
import { StockMovementEntity } from "./stock-movement.entity";
import { TillEntity } from "./till.entity";
import { UserEntity } from "./user.entity";

export const ENTITIES = [
  ShopEntity,
  UserEntity,
  MembershipEntity,
  ProductEntity,
  CustomerEntity,
  SaleEntity,
  SaleItemEntity,
  OfflineSaleSyncEntity,
  NotificationEntity,
  StockMovementEntity,
  TillEntity,
];
