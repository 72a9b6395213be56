/** Roles are what a shop assigns; permissions are what code checks. Only this file maps one to the other. */
export const ROLES = ["owner", "manager", "cashier", "viewer", "till"] as const;
export type Role = (typeof ROLES)[number];

/** The roles a user's membership of a shop can have; `till` belongs to a paired till's credential only. */
export const MEMBER_ROLES = ["owner", "manager", "cashier", "viewer"] as const satisfies readonly Role[];
export type MemberRole = (typeof MEMBER_ROLES)[number];

export const PERMISSIONS = [
  "sales:create",
  "sales:read",
  "products:read",
  "products:write",
  "customers:read",
  "customers:write",
  "inventory:adjust",
  "notifications:read",
  "notifications:write",
  "tills:manage",
  "staff:read",
  "staff:manage",
  "attention:read",
  "attention:resolve",
  "settings:manage",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ_ONLY: Permission[] = ["sales:read", "products:read", "customers:read", "notifications:read"];

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  owner: PERMISSIONS,
  manager: [
    ...READ_ONLY,
    "sales:create",
    "products:write",
    "customers:write",
    "inventory:adjust",
    "notifications:write",
    "tills:manage",
    "staff:read",
    "staff:manage",
    "attention:read",
    "attention:resolve",
    "settings:manage",
  ],
  cashier: [...READ_ONLY, "sales:create", "customers:write", "notifications:write"],
  viewer: READ_ONLY,
  // A shared till: it records sales and reads what the till screen shows; staff:read is the list of
  // cashiers with what it needs to check their PINs offline. It changes nothing else.
  till: [...READ_ONLY, "sales:create", "notifications:write", "staff:read"],
};

export function permissionsOf(role: Role): ReadonlySet<Permission> {
  return new Set(ROLE_PERMISSIONS[role]);
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function isMemberRole(value: unknown): value is MemberRole {
  return typeof value === "string" && (MEMBER_ROLES as readonly string[]).includes(value);
}
