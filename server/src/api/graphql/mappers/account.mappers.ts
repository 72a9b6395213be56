import type { Role } from "../../../auth/permissions";
import type { StaffMember } from "../../../auth/staff.service";
import type { TillEntity } from "../../../db/entities/till.entity";
import { RoleValue, type StaffMemberType } from "../types/account.type";
import type { TillType } from "../types/till.type";

const ROLE_VALUES: Record<Role, RoleValue> = {
  owner: RoleValue.OWNER,
  manager: RoleValue.MANAGER,
  cashier: RoleValue.CASHIER,
  viewer: RoleValue.VIEWER,
  till: RoleValue.TILL,
};

export function toRoleValue(role: Role): RoleValue {
  return ROLE_VALUES[role];
}

export function toTillType(t: TillEntity): TillType {
  return {
    id: t.id,
    code: t.code,
    name: t.name,
    createdAt: t.createdAt,
    pairedAt: t.pairedAt,
    lastSeenAt: t.lastSeenAt,
    revokedAt: t.revokedAt,
    unsentCount: t.unsentCount,
    stateReportedAt: t.stateReportedAt,
    unidentifiedRejections: t.unidentifiedRejections,
  };
}

export function toStaffMemberType(m: StaffMember): StaffMemberType {
  return { id: m.id, name: m.name, role: toRoleValue(m.role), pinHash: m.pinHash };
}
