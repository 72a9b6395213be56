import type { Request } from "express";
import type { DataSource } from "typeorm";
import { cachedMembershipLookup } from "../../auth/membership-lookup";
import { type RequestContext, authenticate } from "../../auth/request-context";
import type { TokenRules } from "../../auth/tokens";
import { cachedTillLookup } from "../../auth/till-lookup";

export type Authenticator = (req: Request) => Promise<RequestContext>;

/** Reads the two headers that identify a request; everything else about auth lives in auth/. */
export function headerAuthenticator(dataSource: DataSource, tokens: TokenRules): Authenticator {
  const lookups = { role: cachedMembershipLookup(dataSource), till: cachedTillLookup(dataSource) };
  return (req) =>
    authenticate(lookups, tokens, {
      authorization: req.headers.authorization,
      shopId: typeof req.headers["x-shop-id"] === "string" ? req.headers["x-shop-id"] : undefined,
    });
}
