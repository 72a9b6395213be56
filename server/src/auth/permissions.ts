/** Roles are what a shop assigns; permissions are what code checks. Only this file maps one to the other. */
export const ROLES = ["owner", "manager", "cashier", "viewer"] as const;
export type Role = (typeof ROLES)[number];

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
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ_ONLY: Permission[] = ["sales:read", "products:read", "customers:read", "notifications:read"];

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  owner: PERMISSIONS,
  manager: [...READ_ONLY, "sales:create", "products:write", "customers:write", "inventory:adjust", "notifications:write"],
  cashier: [...READ_ONLY, "sales:create", "customers:write", "notifications:write"],
  viewer: READ_ONLY,
};

export function permissionsOf(role: Role): ReadonlySet<Permission> {
  return new Set(ROLE_PERMISSIONS[role]);
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
