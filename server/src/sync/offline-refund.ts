import { createHash } from "node:crypto";
import { z } from "zod";
import { fieldPath, moneyAmount as money, text } from "../shared/input";
import { toCents } from "../shared/money";
import { isUuid } from "../shared/uuid";
import { MAX_ITEMS_PER_SALE, MAX_TOTAL, instantSchema, productIdSchema, quantitySchema, receiptNumberSchema } from "./offline-sale.schema";
import { type PreparedPayment, canonicalPayments, paymentsSchema, preparePayments } from "./tenders";

/**
 * A refund made at the till, possibly of a sale the server has not seen yet: validated like a sale
 * (each failure names its field: `Invalid refund: lines[0].quantity must be a positive integer`)
 * and fingerprinted for the replay rule. Refunds are new, so every field is in the fingerprint.
 */
const uuid = () => z.string({ error: "must be a string" }).refine(isUuid, { error: "must be a UUID" });

const saleRefSchema = z
  .object({ clientTempId: uuid().nullish(), serverId: uuid().nullish() }, { error: "must be an object" })
  .refine((r) => (r.clientTempId == null) !== (r.serverId == null), { error: "must give exactly one of clientTempId and serverId" });

const lineSchema = z.object({
  productId: productIdSchema,
  quantity: quantitySchema,
  amount: money(MAX_TOTAL),
});

export const offlineRefundSchema = z.object({
  clientTempId: uuid(),
  sale: saleRefSchema,
  lines: z
    .array(lineSchema, { error: "must be an array" })
    .min(1, { error: "must contain at least 1 line" })
    .max(MAX_ITEMS_PER_SALE, { error: `must contain at most ${MAX_ITEMS_PER_SALE} lines` }),
  totalAmount: money(MAX_TOTAL),
  reason: text(500).nullish(),
  restock: z.boolean({ error: "must be a boolean" }),
  payments: paymentsSchema,
  createdAt: instantSchema(),
  receiptNumber: receiptNumberSchema.nullish(),
  staffId: z.string({ error: "must be a string" }).max(100).nullish(),
});

export type PreparedRefundLine = { productId: string; quantity: number; amountCents: number };

export type PreparedRefund = {
  clientTempId: string;
  saleClientTempId: string | null;
  saleServerId: string | null;
  lines: PreparedRefundLine[];
  totalCents: number;
  reason: string | null;
  restock: boolean;
  payments: PreparedPayment[] | null;
  refundedAt: string;
  createdAtAsSent: string;
  receiptNumber: number | null;
  staffId: string | null;
  fingerprint: string;
};

export type ParsedRefund = { ok: true; refund: PreparedRefund } | { ok: false; error: string };

export function parseOfflineRefund(raw: unknown): ParsedRefund {
  const result = offlineRefundSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.slice(0, 5).map((issue) => `${fieldPath(issue.path, "refund")} ${issue.message}`);
    return { ok: false, error: `Invalid refund: ${problems.join("; ")}` };
  }
  const r = result.data;
  const lower = (s: string | null | undefined) => (s ? s.toLowerCase() : null);
  const refund: Omit<PreparedRefund, "fingerprint"> = {
    clientTempId: r.clientTempId.toLowerCase(),
    saleClientTempId: lower(r.sale.clientTempId),
    saleServerId: lower(r.sale.serverId),
    lines: r.lines.map((l) => ({ productId: l.productId.toLowerCase(), quantity: l.quantity, amountCents: toCents(l.amount) ?? 0 })),
    totalCents: toCents(r.totalAmount) ?? 0,
    reason: r.reason || null,
    restock: r.restock,
    payments: preparePayments(r.payments),
    refundedAt: new Date(Date.parse(r.createdAt)).toISOString(),
    createdAtAsSent: r.createdAt,
    receiptNumber: r.receiptNumber ?? null,
    staffId: lower(r.staffId),
  };
  return { ok: true, refund: { ...refund, fingerprint: fingerprintOf(refund) } };
}

function fingerprintOf(r: Omit<PreparedRefund, "fingerprint">): string {
  const canonical = [
    r.clientTempId,
    r.saleClientTempId,
    r.saleServerId,
    r.lines.map((l) => [l.productId, l.quantity, l.amountCents]),
    r.totalCents,
    r.reason,
    r.restock,
    r.payments && canonicalPayments(r.payments),
    r.refundedAt,
    r.receiptNumber,
    r.staffId,
  ];
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}
