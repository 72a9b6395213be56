import { BadRequestError, ForbiddenError, UnauthenticatedError } from "../shared/errors";
import { isUuid } from "../shared/uuid";
import type { MembershipLookup } from "./membership-lookup";
import { type Permission, type Role, permissionsOf } from "./permissions";
import { verifyToken } from "./tokens";

/** Who is asking, for which shop, allowed to do what. Every service method takes this first. */
export type RequestContext = {
  shopId: string;
  userId: string;
  role: Role;
  permissions: ReadonlySet<Permission>;
};

export type Credentials = { authorization: string | undefined; shopId: string | undefined };

export async function authenticate(
  lookupRole: MembershipLookup,
  jwtSecret: string,
  credentials: Credentials,
): Promise<RequestContext> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(credentials.authorization ?? "");
  if (!credentials.authorization) throw new UnauthenticatedError("Missing bearer token");
  if (!match) throw new UnauthenticatedError("Authorization header must be 'Bearer <token>'");
  const userId = verifyToken(jwtSecret, match[1]);
  const shopId = credentials.shopId?.trim();
  if (!shopId) throw new BadRequestError("x-shop-id header is required");
  if (!isUuid(shopId)) throw new BadRequestError("x-shop-id header must be a UUID");
  if (!isUuid(userId)) throw new UnauthenticatedError("Invalid or expired token");

  const role = await lookupRole(shopId, userId);
  // The same answer whether the shop does not exist or the user is not in it.
  if (!role) throw new ForbiddenError("You do not have access to this shop");
  return { shopId, userId, role, permissions: permissionsOf(role) };
}

export function requirePermission(ctx: RequestContext, permission: Permission): void {
  if (!ctx.permissions.has(permission)) {
    throw new ForbiddenError(`Your role (${ctx.role}) lacks the permission ${permission}`);
  }
}
