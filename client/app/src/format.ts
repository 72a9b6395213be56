import { formatCents, toCents } from "@pos-sync/client";

/** Amounts in the shop's currency, always with cents, e.g. 12.00 or 1,234.50 (the client's formatting). */
export function money(amount: number): string {
  return formatCents(toCents(amount));
}

/** The first block of a UUID: enough for a cashier to tell sales apart on screen. */
export function shortId(id: string): string {
  return id.split("-")[0] ?? id;
}

export function time(iso: string): string {
  return new Date(iso).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
}

export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
}
