import type { RequestContext } from "../../auth/request-context";
import type { Services } from "../../services";
import { UnauthenticatedError } from "../../shared/errors";
import { type Loaders, createLoaders } from "./loaders";

/** What every resolver receives: who is asking (null when no token was sent), the services, loaders. */
export type GraphQLContext = {
  requestId: string;
  auth: RequestContext | null;
  services: Services;
  loaders: Loaders | null;
};

export function buildGraphQLContext(requestId: string, auth: RequestContext | null, services: Services): GraphQLContext {
  return { requestId, auth, services, loaders: auth ? createLoaders(auth, services) : null };
}

export function authOf(ctx: GraphQLContext): { auth: RequestContext; loaders: Loaders } {
  if (!ctx.auth || !ctx.loaders) throw new UnauthenticatedError("Missing bearer token");
  return { auth: ctx.auth, loaders: ctx.loaders };
}
