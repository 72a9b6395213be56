import { isUuid } from "../shared/uuid";

/**
 * Who a token speaks for, read from its subject: a user (`sub` is the user's id, as every token
 * issued before tills existed) or a paired till (`sub` is `till:<id>`). A till's subject is not a
 * UUID, so code that only knows users can never mistake a till for one.
 */
export type Principal = { kind: "user"; userId: string } | { kind: "till"; tillId: string };

const TILL_PREFIX = "till:";

export function tillSubject(tillId: string): string {
  return `${TILL_PREFIX}${tillId}`;
}

export function principalOf(subject: string): Principal | null {
  if (subject.startsWith(TILL_PREFIX)) {
    const tillId = subject.slice(TILL_PREFIX.length);
    return isUuid(tillId) ? { kind: "till", tillId: tillId.toLowerCase() } : null;
  }
  return isUuid(subject) ? { kind: "user", userId: subject } : null;
}
