import type { Request } from "express";
import type { DataSource } from "typeorm";
import { cachedMembershipLookup } from "../../auth/membership-lookup";
import { type RequestContext, authenticate } from "../../auth/request-context";

export type Authenticator = (req: Request) => Promise<RequestContext>;

/** Reads the two headers that identify a request; everything else about auth lives in auth/. */
export function headerAuthenticator(dataSource: DataSource, jwtSecret: string): Authenticator {
  const lookupRole = cachedMembershipLookup(dataSource);
  return (req) =>
    authenticate(lookupRole, jwtSecret, {
      authorization: req.headers.authorization,
      shopId: typeof req.headers["x-shop-id"] === "string" ? req.headers["x-shop-id"] : undefined,
    });
}
