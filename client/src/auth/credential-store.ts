import type { KeyValueStorage } from "../storage/storage";

/**
 * What the app hands the client: the answer of `pairTill` (or `signIn`, or a refresh) as it is.
 * Only `refreshToken` is needed; without an access token (or its `expiresIn`) the client refreshes
 * on the first request, or, without `expiresIn`, uses the access token until the server refuses it.
 */
export type TillCredential = { refreshToken: string; accessToken?: string | null; expiresIn?: number | null };

/**
 * The credential as stored, one value under the client's key: plain JSON. Times are this device's
 * clock (ms), taken when the answer arrived: the server's clock is never compared with ours.
 */
export type StoredCredential = {
  version: 1;
  refreshToken: string;
  accessToken: string | null;
  receivedAt: number;
  /** When the access token expires by our clock; null: unknown (used until the server refuses it). */
  expiresAt: number | null;
  /** The server refused the refresh token (revoked, expired, reused): it is never presented again. */
  refused: boolean;
  /**
   * SHA-256 of the refresh token the app last passed as `auth.credential`: passing the same one at
   * the next start must not overwrite the token it has since been rotated into (presenting a
   * rotated token would make the server revoke the till's sign-in).
   */
  seed: string | null;
};

/** Reads and writes the one stored credential. Every write resolves once the storage has it. */
export class CredentialStore {
  constructor(
    private readonly storage: KeyValueStorage,
    private readonly key: string,
  ) {}

  async read(): Promise<StoredCredential | null> {
    const raw = await this.storage.getItem(this.key);
    if (raw === null) return null;
    try {
      const value = JSON.parse(raw) as Partial<StoredCredential>;
      return value.version === 1 && typeof value.refreshToken === "string" ? (value as StoredCredential) : null;
    } catch {
      return null;
    }
  }

  write(credential: StoredCredential): Promise<void> {
    return this.storage.setItem(this.key, JSON.stringify(credential));
  }

  remove(): Promise<void> {
    return this.storage.removeItem(this.key);
  }
}

export function storedFrom(credential: TillCredential, receivedAt: number, seed: string | null): StoredCredential {
  const { expiresIn } = credential;
  return {
    version: 1,
    refreshToken: credential.refreshToken,
    accessToken: credential.accessToken ?? null,
    receivedAt,
    expiresAt: typeof expiresIn === "number" && Number.isFinite(expiresIn) ? receivedAt + expiresIn * 1000 : null,
    refused: false,
    seed,
  };
}

/** A fingerprint of a token that does not reveal it: SHA-256 where WebCrypto exists, else FNV-1a. */
export async function fingerprintOf(token: string): Promise<string> {
  const bytes = new TextEncoder().encode(token);
  const subtle = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (subtle) {
    const digest = new Uint8Array(await subtle.digest("SHA-256", bytes));
    return `sha256:${Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("")}`;
  }
  // WebCrypto is missing only outside a secure context; a collision here merely skips a seed.
  let hash = 0xcbf29ce484222325n;
  for (const b of bytes) hash = BigInt.asUintN(64, (hash ^ BigInt(b)) * 0x100000001b3n);
  return `fnv1a:${hash.toString(16)}`;
}
