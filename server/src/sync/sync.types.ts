/** The outcome of one sale of a batch. Expected failures are results, never exceptions. */
export type SyncStatus = "created" | "existing";

export type SaleOutcome =
  | {
      kind: "synced";
      clientTempId: string;
      serverId: string;
      orderId: string;
      status: SyncStatus;
      warnings: string[];
    }
  | {
      kind: "error";
      clientTempId: string;
      error: string;
      /** True when the same sale may succeed later (the server failed, not the sale): resend it. */
      retryable: boolean;
    };

export type SyncedSale = Extract<SaleOutcome, { kind: "synced" }>;
export type FailedSale = Extract<SaleOutcome, { kind: "error" }>;

/** Both lists keep the order of the request. */
export type SyncResult = { synced: SyncedSale[]; errors: FailedSale[] };

export type SyncCounts = { created: number; existing: number; rejected: number };
