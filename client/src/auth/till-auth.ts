import type { Locks } from "../sync/locks";
import type { TokenAnswer } from "./auth-api";
import { CredentialRefusedError, noCredentialError } from "./auth-errors";
import { type CredentialStore, type StoredCredential, type TillCredential, fingerprintOf, storedFrom } from "./credential-store";

export type TillAuthDeps = {
  store: CredentialStore;
  /** Shared by every client on the storage (Web Locks: every tab of the origin). */
  locks: Locks;
  lockName: string;
  /** `POST /api/auth/refresh`, bounded by the request timeout. */
  refresh: (refreshToken: string) => Promise<TokenAnswer>;
  logout: (refreshToken: string) => Promise<void>;
  now: () => number;
  /** Refresh this long before the access token expires (at most half of its lifetime). */
  marginMs: number;
  /** The credential stopped being usable: refused by the server, none stored, signed out. */
  onUnusable: (error: CredentialRefusedError) => void;
  /** It is usable (again): at start, after `setCredential`, or another tab stored a new one. */
  onUsable: () => void;
};

/**
 * The till's credential: the access token every request carries, refreshed before it expires and
 * when the server answers 401, with the refresh token rotated and stored (awaited) on each use.
 *
 * One refresh at a time: within this client one promise is shared, and every refresh (in this
 * realm, and across tabs where Web Locks exist) runs under one lock, re-reading the stored
 * credential first: another tab may have rotated it already, and presenting the token it was
 * rotated from would make the server revoke the till's sign-in. A refresh that gets no answer, a
 * 5xx or a 429 is a retryable failure; only a 401 from the refresh (the refresh token revoked,
 * expired or reused) makes the credential unusable, and that is stored so it is never sent again.
 */
export class TillAuth {
  private current: StoredCredential | null = null;
  private usable: boolean | undefined;
  private inFlight: Promise<string> | null = null;
  /** Resolves once the stored credential is read (and the app's `credential` taken in, if new). */
  readonly loaded: Promise<void>;
  /** Refresh requests this client sent; for diagnostics and tests. */
  refreshesSent = 0;

  constructor(
    private readonly deps: TillAuthDeps,
    seed?: TillCredential,
  ) {
    this.loaded = this.load(seed);
  }

  /** The token for the next request, refreshed first when it expires within the margin. */
  async accessToken(): Promise<string> {
    await this.loaded;
    const known = this.current;
    if (known && !known.refused && known.accessToken && this.isFresh(known)) return known.accessToken;
    try {
      return await this.refresh(null);
    } catch (error) {
      // No answer, a 5xx: the token we have works until it actually expires, so use it meanwhile.
      if (!(error instanceof CredentialRefusedError) && known?.accessToken && !known.refused && !this.isExpired(known)) return known.accessToken;
      throw error;
    }
  }

  /** The server answered 401 to `rejected`: a token other than that one, refreshed if need be. */
  async afterRejection(rejected: string | null): Promise<string> {
    await this.loaded;
    const token = await this.refresh(rejected);
    // Joined a refresh that found `rejected` itself still fresh in storage: refresh it for real.
    return token === rejected && rejected !== null ? this.refresh(rejected) : token;
  }

  /** Stores a new credential (a till paired again), replacing whatever was stored. */
  async setCredential(credential: TillCredential): Promise<void> {
    await this.loaded.catch(() => undefined);
    const seed = await fingerprintOf(credential.refreshToken);
    await this.deps.locks.exclusive(this.deps.lockName, async () => {
      const next = storedFrom(credential, this.deps.now(), seed);
      await this.deps.store.write(next);
      this.adopt(next);
    });
  }

  /** Ends the sign-in on the server when it can be reached, and forgets it here in any case. */
  async signOut(): Promise<void> {
    await this.loaded.catch(() => undefined);
    await this.deps.locks.exclusive(this.deps.lockName, async () => {
      const stored = await this.deps.store.read();
      if (stored && !stored.refused) await this.deps.logout(stored.refreshToken).catch(() => undefined);
      await this.deps.store.remove();
      this.adopt(null);
    });
  }

  private async load(seed: TillCredential | undefined): Promise<void> {
    const fingerprint = seed ? await fingerprintOf(seed.refreshToken) : null;
    await this.deps.locks.exclusive(this.deps.lockName, async () => {
      let stored = await this.deps.store.read();
      // A credential already taken in is not taken again: the stored one is its rotated successor.
      if (seed && fingerprint !== stored?.seed) {
        stored = storedFrom(seed, this.deps.now(), fingerprint);
        await this.deps.store.write(stored);
      }
      this.adopt(stored);
    });
  }

  private refresh(rejected: string | null): Promise<string> {
    this.inFlight ??= this.deps.locks.exclusive(this.deps.lockName, () => this.refreshUnderLock(rejected)).finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  private async refreshUnderLock(rejected: string | null): Promise<string> {
    const stored = await this.deps.store.read();
    this.adopt(stored);
    if (!stored || stored.refused) throw this.unusableError(stored);
    // Another tab (or client on this storage) refreshed while we waited for the lock: use its token.
    if (stored.accessToken && stored.accessToken !== rejected && this.isFresh(stored)) return stored.accessToken;
    this.refreshesSent++;
    let answer: TokenAnswer;
    try {
      answer = await this.deps.refresh(stored.refreshToken);
    } catch (error) {
      if (error instanceof CredentialRefusedError) {
        const refused = { ...stored, refused: true };
        await this.deps.store.write(refused);
        this.adopt(refused, error);
      }
      throw error;
    }
    // On disk before the token is used: a restart must present the new refresh token, not the old.
    const next = storedFrom(answer, this.deps.now(), stored.seed);
    await this.deps.store.write(next);
    this.adopt(next);
    return answer.accessToken;
  }

  private adopt(credential: StoredCredential | null, error?: CredentialRefusedError): void {
    this.current = credential;
    const usable = credential !== null && !credential.refused;
    if (usable === this.usable) return;
    this.usable = usable;
    if (usable) this.deps.onUsable();
    else this.deps.onUnusable(error ?? this.unusableError(credential));
  }

  private unusableError(credential: StoredCredential | null): CredentialRefusedError {
    if (!credential) return noCredentialError();
    return new CredentialRefusedError("The server refused this till's credential (revoked, expired or reused): pair it again", "UNAUTHENTICATED", 401);
  }

  /** Valid beyond the margin: min(marginMs, half its lifetime) before `expiresAt`. Unknown expiry: valid. */
  private isFresh(credential: StoredCredential): boolean {
    if (credential.expiresAt === null) return true;
    const lifetime = Math.max(0, credential.expiresAt - credential.receivedAt);
    return this.deps.now() < credential.expiresAt - Math.min(this.deps.marginMs, lifetime / 2);
  }

  private isExpired(credential: StoredCredential): boolean {
    return credential.expiresAt !== null && this.deps.now() >= credential.expiresAt;
  }
}
