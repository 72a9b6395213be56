import { type BackoffOptions, createPosClient, MemoryStorage, type OfflineSale } from "../../client/src";
import type { SendOutcome } from "../../client/src/sync/sync-transport";

/** A client that never syncs, pulls or listens on its own: the test drives every attempt. */
export const QUIET_CLIENT = {
  syncIntervalMs: 0,
  syncOnStart: false,
  catalogIntervalMs: false,
  syncAfterRecordMs: false,
  networkEvents: false,
  locks: null,
} as const;

/** The engine alone, against a scripted transport: no server, exact control of each answer. */
export function scriptedClient(
  answer: (sales: OfflineSale[], call: number) => SendOutcome | Promise<SendOutcome>,
  opts: { storage?: MemoryStorage; backoff?: Partial<BackoffOptions> } = {},
) {
  const sent: string[][] = [];
  const client = createPosClient({
    uri: "http://127.0.0.1:9/graphql",
    shopId: "00000000-0000-4000-8000-000000000001",
    getToken: () => "token",
    storage: opts.storage ?? new MemoryStorage(),
    ...QUIET_CLIENT,
    backoff: { initialMs: 10, maxMs: 20, jitter: false, ...opts.backoff },
    transport: () => async (sales) => {
      sent.push(sales.map((s) => s.clientTempId));
      return answer(sales, sent.length);
    },
  });
  return { client, sent };
}
