import { ApolloClient, HttpLink, InMemoryCache } from "@apollo/client/core";
import type { SignInAnswer } from "@pos-sync/client";
import { GRAPHQL_URL } from "../use-pos-client";

/** Roles that may manage tills (the server's `tills:manage`). */
export const MANAGING_ROLES = new Set(["owner", "manager"]);

/**
 * A manager's sign-in on this till, for one shop. Held in memory only: a shared till must not keep
 * a person's session after they leave the screen (it is ended on the server then, too).
 */
export type ManagerSession = { answer: SignInAnswer; shopId: string; shopName: string };

/** The shops of a sign-in where this person may manage tills. */
export function managedShops(answer: SignInAnswer) {
  return answer.memberships.filter((m) => MANAGING_ROLES.has(m.role));
}

/**
 * An Apollo client with the manager's access token for the shop; no persisted cache and no
 * outbox (a manager changes things online, and sees the server's answer or its error). Every
 * request is bounded: a manager never waits on a dead connection.
 */
export function managerApollo(session: ManagerSession): ApolloClient<unknown> {
  return new ApolloClient({
    link: new HttpLink({
      uri: GRAPHQL_URL(),
      headers: { authorization: `Bearer ${session.answer.accessToken}`, "x-shop-id": session.shopId },
      fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(15_000) }),
    }),
    cache: new InMemoryCache(),
    defaultOptions: { query: { fetchPolicy: "network-only" }, watchQuery: { fetchPolicy: "cache-and-network" } },
  });
}
