import { createHash } from "node:crypto";
import { z } from "zod";
import { fieldPath, requiredText, text } from "../shared/input";
import { isUuid } from "../shared/uuid";
import { instantSchema } from "./offline-sale.schema";

/**
 * A customer signed up at the counter, possibly offline: validated like a sale (each failure names
 * its field and becomes that customer's error) and fingerprinted for the replay rule.
 */
export const offlineCustomerSchema = z.object({
  clientTempId: z.string({ error: "must be a string" }).refine(isUuid, { error: "must be a UUID" }),
  name: requiredText(200),
  // An empty email or phone is none; 254 characters is the longest address SMTP carries.
  email: text(254)
    .nullish()
    .transform((email) => email || null)
    .refine((email) => email === null || /^[^\s@]+@[^\s@]+$/.test(email), { error: "must be an email address" }),
  phone: text(40)
    .nullish()
    .transform((phone) => phone || null)
    .refine((phone) => phone === null || /^[0-9+()\-. /]{3,40}$/.test(phone), { error: "must be a phone number (digits, spaces, + ( ) - . /)" }),
  createdAt: instantSchema(),
});

export type PreparedCustomer = {
  clientTempId: string;
  name: string;
  email: string | null;
  phone: string | null;
  createdAt: string;
  fingerprint: string;
};

export type ParsedCustomer = { ok: true; customer: PreparedCustomer } | { ok: false; error: string };

export function parseOfflineCustomer(raw: unknown): ParsedCustomer {
  const result = offlineCustomerSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.slice(0, 5).map((issue) => `${fieldPath(issue.path, "customer")} ${issue.message}`);
    return { ok: false, error: `Invalid customer: ${problems.join("; ")}` };
  }
  const c = result.data;
  const clientTempId = c.clientTempId.toLowerCase();
  const createdAt = new Date(Date.parse(c.createdAt)).toISOString();
  const canonical = [clientTempId, c.name, c.email, c.phone, createdAt];
  const fingerprint = createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
  return { ok: true, customer: { clientTempId, name: c.name, email: c.email, phone: c.phone, createdAt, fingerprint } };
}
