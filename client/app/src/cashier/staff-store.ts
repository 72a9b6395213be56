import type { PosClient } from "@pos-sync/client";
import type { AppStore } from "../app-store";
import { StaffDocument, type StaffQuery } from "../generated/graphql";
import { type PinLock, UNLOCKED, isPinLock } from "./pin-lock";

export type StaffMember = StaffQuery["staff"][number];
/** Who is selling now: kept so a reload (offline too) does not ask for the PIN again. */
export type Cashier = { id: string; name: string };

/** Roles that never sell at a till (a viewer reads; TILL is a till's own credential). */
const NOT_CASHIERS = new Set<string>(["VIEWER", "TILL"]);

/** The members who can be picked at the till, by name. */
export function cashiersOf(staff: StaffMember[]): StaffMember[] {
  return staff.filter((m) => !NOT_CASHIERS.has(m.role)).sort((a, b) => a.name.localeCompare(b.name));
}

/** The shop's staff with their PIN hashes, with the till's credential; never put in the Apollo cache. */
export async function downloadStaff(pos: PosClient): Promise<StaffMember[]> {
  const { data } = await pos.apollo.query({ query: StaffDocument, fetchPolicy: "no-cache" });
  return data.staff;
}

export const loadStaff = (store: AppStore, shopId: string) => store.read(`${shopId}:staff`, isStaffList);
export const saveStaff = (store: AppStore, shopId: string, staff: StaffMember[]) => store.write(`${shopId}:staff`, staff);

export const loadCashier = (store: AppStore, shopId: string) => store.read(`${shopId}:cashier`, isCashier);
export const saveCashier = (store: AppStore, shopId: string, cashier: Cashier | null) =>
  cashier ? store.write(`${shopId}:cashier`, cashier) : store.remove(`${shopId}:cashier`);

/** One lock for the device's PIN pad, whatever shop it is paired with. */
export const loadPinLock = async (store: AppStore): Promise<PinLock> => (await store.read("pin-lock", isPinLock)) ?? UNLOCKED;
export const savePinLock = (store: AppStore, lock: PinLock) => store.write("pin-lock", lock);

function isStaffList(value: unknown): value is StaffMember[] {
  return Array.isArray(value) && value.every((m: Partial<StaffMember>) => typeof m?.id === "string" && typeof m.name === "string");
}

function isCashier(value: unknown): value is Cashier {
  const v = value as Partial<Cashier> | null;
  return typeof v?.id === "string" && typeof v.name === "string";
}
