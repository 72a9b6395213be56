import { issueToken } from "../auth/tokens";
import { DEMO_ACCOUNTS, DEMO_SHOP } from "./seed";

/**
 * The startup text for the demo shop (development only): the URLs, the shop id, the demo logins
 * and a cashier token for curl. One process prints it: the only one, or a cluster's primary.
 */
export function demoBanner(jwtSecret: string, url: string): string {
  const token = issueToken(jwtSecret, DEMO_SHOP.cashierId, "8h");
  return (
    [
      "",
      `  pos-sync is running: GraphQL ${url}/graphql  REST ${url}/api/pos/sync`,
      `  the till:            ${url}/  (Manager sign-in with the demo manager, Add a till, type its code; then a PIN)`,
      `  demo shop id:        ${DEMO_SHOP.shopId}`,
      `  demo cashier token:  ${token}  (for curl; the till never needs one)`,
      ...DEMO_ACCOUNTS.map((a) => `  demo ${a.role} login: ${a.email} / ${a.password} (PIN ${a.pin})`),
      "",
      `  export SHOP=${DEMO_SHOP.shopId} TOKEN=${token}`,
      "",
    ].join("\n") + "\n"
  );
}
