import { z } from "zod";
import { ValidationError } from "./errors";
import { toCents } from "./money";

/**
 * The building blocks every service validates its input with (zod, as the sync does), so a value
 * that cannot be stored is refused as BAD_USER_INPUT naming its field before it reaches the
 * database, instead of failing there as an internal error.
 */

/** An amount in the shop's currency: 0..max with at most two decimals, as toCents() converts it. */
export const moneyAmount = (max: number) =>
  z
    .number({ error: "must be a number" })
    .min(0, { error: "must be >= 0" })
    .max(max, { error: `must be <= ${max}` })
    .refine((n) => toCents(n) !== null, { error: "must have at most 2 decimals" });

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text as PostgreSQL can store it and people can read it: no NUL (a text column cannot hold one),
 * no unpaired surrogate (not Unicode; the driver would store U+FFFD instead), at most `max`
 * characters; trimmed.
 */
export const text = (max: number) =>
  z
    .string({ error: "must be a string" })
    .max(max, { error: `must be at most ${max} characters` })
    .refine((s) => !s.includes("\u0000"), { error: "must not contain NUL characters" })
    .refine((s) => !UNPAIRED_SURROGATE.test(s), { error: "must be valid Unicode text" })
    .transform((s) => s.trim());

/** Text that must not be empty once trimmed. */
export const requiredText = (max: number) => text(max).refine((s) => s.length > 0, { error: "is required" });

/** `items[2].quantity` from zod's path. */
export function fieldPath(path: readonly PropertyKey[], whole = "input"): string {
  if (path.length === 0) return whole;
  return path.reduce<string>(
    (acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    "",
  );
}

/** The parsed input, or a ValidationError naming the first field that breaks a rule. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new ValidationError(fieldPath(issue.path), issue.message);
}
