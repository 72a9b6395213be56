import { AuthRateLimitedError, AuthUnavailableError, CredentialRefusedError } from "@pos-sync/client";

/** What a person at the till reads when a pairing code or a sign-in did not work. */
export function pairingProblem(error: unknown, refused: string): string {
  if (error instanceof CredentialRefusedError) return refused;
  if (error instanceof AuthRateLimitedError) {
    const seconds = error.retryAfterSeconds;
    return seconds ? `Too many attempts: try again in ${seconds} s.` : "Too many attempts: try again in a minute.";
  }
  if (error instanceof AuthUnavailableError) return "The server cannot be reached: this needs the internet. Try again when the till is online.";
  return error instanceof Error ? error.message : String(error);
}
