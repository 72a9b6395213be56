import { InitialSchema1764000000000 } from "./1764000000000-initial-schema";
import { AccountsAndTills1765000000000 } from "./1765000000000-accounts-and-tills";
import { ReceiptsAndAttention1766000000000 } from "./1766000000000-receipts-and-attention";
import { OfflineDay1767000000000 } from "./1767000000000-offline-day";
import { CatalogFeed1768000000000 } from "./1768000000000-catalog-feed";
import { OneTripSales1769000000000 } from "./1769000000000-one-trip-sales";

/** Listed explicitly (not globbed) so the same array works from ts-jest and compiled JS. */
export const MIGRATIONS = [InitialSchema1764000000000, AccountsAndTills1765000000000, ReceiptsAndAttention1766000000000, OfflineDay1767000000000, CatalogFeed1768000000000, OneTripSales1769000000000];
