import { z } from "zod";
import { fieldPath, moneyAmount as money } from "../shared/input";
import { EARLIEST_STORABLE, ISO_INSTANT, LATEST_STORABLE } from "../shared/instant";
import { toBasisPoints } from "../shared/money";
import { MAX_RECEIPT_NUMBER } from "../shared/receipt-number";
import { isUuid } from "../shared/uuid";
import { paymentsSchema } from "./tenders";

/**
 * The validation rules of one offline sale, shared by both transports. Each failure names its
 * field (`items[2].quantity`) and becomes that sale's error; the rest of the batch goes on.
 *
 * zod rather than class-validator on the GraphQL input classes: type-graphql validates a whole
 * argument and fails the request, while a batch needs one verdict per sale with a field path, on
 * raw JSON from the REST shim as much as on GraphQL input; zod is also several times faster on
 * 1,000-sale batches.
 */
export const MAX_ITEMS_PER_SALE = 500;
export const MAX_QUANTITY = 100_000;
export const MAX_PRICE = 10_000_000;
export const MAX_TOTAL = 10_000_000_000;

/** A till's receipt counter: 1, 2, 3, ... per till. */
export const receiptNumberSchema = z
  .number({ error: "must be a number" })
  .int({ error: "must be a positive integer" })
  .min(1, { error: "must be a positive integer" })
  .max(MAX_RECEIPT_NUMBER, { error: `must be <= ${MAX_RECEIPT_NUMBER}` });

/** A line's product and how many: the same rule on a sale's items and a refund's lines. */
export const productIdSchema = z.string({ error: "must be a string" }).min(1, { error: "is required" }).max(100);
export const quantitySchema = z
  .number({ error: "must be a number" })
  .int({ error: "must be a positive integer" })
  .min(1, { error: "must be a positive integer" })
  .max(MAX_QUANTITY, { error: `must be <= ${MAX_QUANTITY}` });

const itemSchema = z.object({
  productId: productIdSchema,
  quantity: quantitySchema,
  price: money(MAX_PRICE),
  discountPercent: z
    .number({ error: "must be a number" })
    .min(0, { error: "must be between 0 and 100" })
    .max(100, { error: "must be between 0 and 100" })
    .refine((n) => toBasisPoints(n) !== null, { error: "must have at most 2 decimals" })
    .nullish(),
});

/** An instant as the API reads it (createdAt of a sale, a customer, a refund). */
export const instantSchema = () =>
  z
    .string({ error: "must be an ISO-8601 date-time string" })
    .max(40)
    .refine((s) => ISO_INSTANT.test(s) && !Number.isNaN(Date.parse(s)), {
      error: "must be an ISO-8601 instant with a time zone, e.g. 2024-01-15T10:30:00Z",
      abort: true,
    })
    // What PostgreSQL can store; a till with a wrong clock is flagged for review, not refused.
    .refine((s) => Date.parse(s) >= EARLIEST_STORABLE && Date.parse(s) <= LATEST_STORABLE, {
      error: "must be between 0001-01-01 and 9999-12-31 (UTC)",
    });

export const offlineSaleSchema = z.object({
  clientTempId: z.string({ error: "must be a string" }).refine(isUuid, { error: "must be a UUID" }),
  items: z
    .array(itemSchema, { error: "must be an array" })
    .min(1, { error: "must contain at least 1 item" })
    .max(MAX_ITEMS_PER_SALE, { error: `must contain at most ${MAX_ITEMS_PER_SALE} items` }),
  totalAmount: money(MAX_TOTAL),
  customerId: z.string({ error: "must be a string" }).max(100).nullish(),
  staffId: z.string({ error: "must be a string" }).max(100).nullish(),
  receiptNumber: receiptNumberSchema.nullish(),
  /** A customer the till created offline (its clientTempId), resolved to the server's customer. */
  customerClientTempId: z.string({ error: "must be a string" }).refine(isUuid, { error: "must be a UUID" }).nullish(),
  payments: paymentsSchema,
  createdAt: instantSchema(),
});

export type OfflineSalePayload = z.infer<typeof offlineSaleSchema>;

export type ParsedSale = { ok: true; sale: OfflineSalePayload } | { ok: false; error: string };

export function parseOfflineSale(raw: unknown): ParsedSale {
  const result = offlineSaleSchema.safeParse(raw);
  if (result.success) return { ok: true, sale: result.data };
  const problems = result.error.issues.slice(0, 5).map((issue) => `${fieldPath(issue.path, "sale")} ${issue.message}`);
  return { ok: false, error: `Invalid sale: ${problems.join("; ")}` };
}

/** A raw value's receipt number when it is a usable one, else null: for keeping a refused sale. */
export function receiptNumberOf(raw: unknown): number | null {
  const n = (raw as { receiptNumber?: unknown } | null)?.receiptNumber;
  return receiptNumberSchema.safeParse(n).success ? (n as number) : null;
}

/** A raw value's clientTempId, if it has a usable one, so even an invalid sale's error can be matched. */
export function clientTempIdOf(raw: unknown): string {
  const id = (raw as { clientTempId?: unknown } | null)?.clientTempId;
  return typeof id === "string" ? id.slice(0, 100) : "";
}
