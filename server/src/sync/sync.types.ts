/** The outcome of one sale of a batch. Expected failures are results, never exceptions. */
export type SyncStatus = "created" | "existing";

/**
 * Why a sale was refused, for the server's own record of it (sale_rejections); never in the
 * answers, whose per-sale `error` text is the contract.
 */
export type RejectionCode =
  | "INVALID_SALE"
  | "INVALID_REFUND"
  | "INVALID_CUSTOMER"
  | "INVALID_DATE"
  | "PRODUCT_NOT_FOUND"
  | "CLIENT_TEMP_ID_REUSED"
  | "OUT_OF_RANGE"
  | "UNSTORABLE"
  | "SERVER_ERROR";

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
      /** Internal: the kind of refusal, kept with the rejection; not part of any answer. */
      code: RejectionCode;
    };

export type SyncedSale = Extract<SaleOutcome, { kind: "synced" }>;
export type FailedSale = Extract<SaleOutcome, { kind: "error" }>;

/** Both lists keep the order of the request. */
export type SyncResult = { synced: SyncedSale[]; errors: FailedSale[] };

export type SyncCounts = { created: number; existing: number; rejected: number };
