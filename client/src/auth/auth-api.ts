import { fetchWithDeadline } from "../fetch-with-deadline";
import { AuthUnavailableError, answeredError, unansweredError } from "./auth-errors";

/** What every sign-in answers: a short-lived access token (`expiresIn` seconds) and a refresh token. */
export type TokenAnswer = { accessToken: string; refreshToken: string; expiresIn: number };

/** `POST /api/tills/pair`: the till's identity and its own credential (pass it as `auth.credential`). */
export type PairTillAnswer = TokenAnswer & {
  till: { id: string; code: string; name: string; shopId: string; shopName: string };
};

export type MemberRole = "owner" | "manager" | "cashier" | "viewer";

/** `POST /api/auth/login`: a person's session and the shops they belong to. */
export type SignInAnswer = TokenAnswer & {
  user: { id: string; email: string; name: string };
  memberships: { shopId: string; shopName: string; role: MemberRole }[];
};

export type AuthRequestOptions = {
  fetch?: typeof fetch;
  /** The request is abandoned (AuthUnavailableError, code TIMEOUT) after this long (default 20 s; false: never). */
  requestTimeoutMs?: number | false;
  /** Aborts the request (AuthUnavailableError, code STOPPED). */
  signal?: AbortSignal;
};

export const AUTH_PATHS = { login: "api/auth/login", refresh: "api/auth/refresh", logout: "api/auth/logout", pair: "api/tills/pair" } as const;

/**
 * Trades the pairing code a manager got from `createTillPairing` for the till's credential. Any
 * case and dashes are accepted. Rejects with CredentialRefusedError (a wrong, used or expired code),
 * AuthRateLimitedError, AuthUnavailableError (no answer, 5xx) or AuthRequestError.
 */
export function pairTill(baseUrl: string, code: string, options?: AuthRequestOptions): Promise<PairTillAnswer> {
  return postAuth(baseUrl, AUTH_PATHS.pair, { code }, options, isPairTillAnswer);
}

/** A person's sign-in with email and password; rejects as `pairTill` does (wrong email or password: CredentialRefusedError). */
export function signIn(baseUrl: string, email: string, password: string, options?: AuthRequestOptions): Promise<SignInAnswer> {
  return postAuth(baseUrl, AUTH_PATHS.login, { email, password }, options, isSignInAnswer);
}

/** Ends the sign-in the refresh token belongs to (its whole family) on the server. */
export async function signOut(baseUrl: string, refreshToken: string, options?: AuthRequestOptions): Promise<void> {
  await postAuth(baseUrl, AUTH_PATHS.logout, { refreshToken }, options, null);
}

/** A new pair for a refresh token (which the server then retires). 401 (CredentialRefusedError): sign in again. */
export function refreshTokens(baseUrl: string, refreshToken: string, options?: AuthRequestOptions): Promise<TokenAnswer> {
  return postAuth(baseUrl, AUTH_PATHS.refresh, { refreshToken }, options, isTokenAnswer);
}

/** `https://x` and `https://x/` both give `https://x/api/...`; `https://x/pos` gives `https://x/pos/api/...`. */
export function authUrl(baseUrl: string, path: string): string {
  return new URL(path, baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`).href;
}

const NEVER = new AbortController().signal;

async function postAuth<T>(baseUrl: string, path: string, body: unknown, options: AuthRequestOptions = {}, isAnswer: ((value: unknown) => value is T) | null): Promise<T> {
  const fetchImpl: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const bounded = fetchWithDeadline(fetchImpl, options.requestTimeoutMs ?? 20_000, options.signal ?? NEVER);
  let response: Response;
  let parsed: unknown;
  try {
    response = await bounded(authUrl(baseUrl, path), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    parsed = await readJson(response);
  } catch (error) {
    throw unansweredError(error);
  }
  if (!response.ok) throw answeredError(response, parsed);
  if (isAnswer && !isAnswer(parsed)) throw new AuthUnavailableError(`The server's answer to ${path} is not what it should be`, "BAD_ANSWER", response.status, response);
  return parsed as T;
}

/** The body as JSON; anything else (empty, a proxy's HTML page) as null. */
async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return text ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
  }
}

function isTokenAnswer(value: unknown): value is TokenAnswer {
  const v = value as Partial<TokenAnswer> | null;
  return typeof v?.accessToken === "string" && typeof v.refreshToken === "string" && typeof v.expiresIn === "number";
}

function isPairTillAnswer(value: unknown): value is PairTillAnswer {
  const till = (value as { till?: Partial<PairTillAnswer["till"]> } | null)?.till;
  return isTokenAnswer(value) && typeof till?.id === "string" && typeof till.shopId === "string";
}

function isSignInAnswer(value: unknown): value is SignInAnswer {
  const v = value as Partial<SignInAnswer> | null;
  return isTokenAnswer(value) && typeof v?.user?.id === "string" && Array.isArray(v.memberships);
}
