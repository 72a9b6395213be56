import type { Tx } from "../db/transaction";
import { tillSubject } from "./principal";
import { type FamilyOwner, type RefreshSettings, startFamily } from "./refresh-tokens";
import { issueToken } from "./tokens";

/** What signing in is configured with; built from the config once (services.ts). */
export type AuthSettings = {
  jwtSecret: string;
  /** Lifetime of an access token (a short-lived HS256 JWT). */
  accessTokenTtlSeconds: number;
  refresh: RefreshSettings;
};

/** What a login, a pairing and a refresh answer with. `expiresIn` is the access token's, in seconds. */
export type TokenPair = { accessToken: string; refreshToken: string; expiresIn: number };

/** An access token for a family's owner: a user's carries the user id, a till's `till:<id>`. */
export function accessTokenFor(owner: FamilyOwner, settings: AuthSettings): Pick<TokenPair, "accessToken" | "expiresIn"> {
  const subject = owner.kind === "user" ? owner.userId : tillSubject(owner.tillId);
  return { accessToken: issueToken(settings.jwtSecret, subject, settings.accessTokenTtlSeconds), expiresIn: settings.accessTokenTtlSeconds };
}

/** A new sign-in: a fresh refresh-token family and the first pair, in the caller's transaction. */
export async function startSession(tx: Tx, owner: FamilyOwner, settings: AuthSettings): Promise<TokenPair> {
  const refreshToken = await startFamily(tx, owner, settings.refresh);
  return { ...accessTokenFor(owner, settings), refreshToken };
}
