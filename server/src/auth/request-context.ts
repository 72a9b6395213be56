import { BadRequestError, ForbiddenError, UnauthenticatedError } from "../shared/errors";
import { isUuid } from "../shared/uuid";
import type { MembershipLookup } from "./membership-lookup";
import { type Permission, type Role, permissionsOf } from "./permissions";
import { principalOf } from "./principal";
import type { TillLookup } from "./till-lookup";
import { type TokenRules, subjectOfAuthorization } from "./tokens";

/** Who is asking, for which shop, allowed to do what. Every service method takes this first. */
export type RequestContext = {
  shopId: string;
  /** The signed-in user; null when a paired till's own credential made the request. */
  userId: string | null;
  /** The paired till whose credential made the request; null for a user's token. */
  tillId: string | null;
  role: Role;
  permissions: ReadonlySet<Permission>;
};

/** How a principal's standing in a shop is read (each cached for a few seconds per process). */
export type PrincipalLookups = { role: MembershipLookup; till: TillLookup };

export type Credentials = { authorization: string | undefined; shopId: string | undefined };

const NO_ACCESS = "You do not have access to this shop";

export async function authenticate(
  lookups: PrincipalLookups,
  tokens: TokenRules,
  credentials: Credentials,
): Promise<RequestContext> {
  const subject = subjectOfAuthorization(tokens, credentials.authorization);
  const shopId = credentials.shopId?.trim();
  if (!shopId) throw new BadRequestError("x-shop-id header is required");
  if (!isUuid(shopId)) throw new BadRequestError("x-shop-id header must be a UUID");
  const principal = principalOf(subject);
  if (!principal) throw new UnauthenticatedError("Invalid or expired token");

  if (principal.kind === "till") {
    const status = await lookups.till(shopId, principal.tillId);
    // A revoked till must pair again: 401, so its client stops and asks for a new pairing.
    if (status === "revoked") throw new UnauthenticatedError("This till was unpaired; pair it again");
    if (!status) throw new ForbiddenError(NO_ACCESS);
    return { shopId, userId: null, tillId: principal.tillId, role: "till", permissions: permissionsOf("till") };
  }
  const role = await lookups.role(shopId, principal.userId);
  // The same answer whether the shop does not exist or the user is not in it.
  if (!role) throw new ForbiddenError(NO_ACCESS);
  return { shopId, userId: principal.userId, tillId: null, role, permissions: permissionsOf(role) };
}

export function requirePermission(ctx: RequestContext, permission: Permission): void {
  if (!ctx.permissions.has(permission)) {
    throw new ForbiddenError(`Your role (${ctx.role}) lacks the permission ${permission}`);
  }
}
