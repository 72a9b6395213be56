import type { OfflineSale } from "../../client/src";
import type { SendOutcome } from "../../client/src/sync/sync-transport";
import { scriptedClient } from "./scripted-client";

/**
 * A server shedding load (429 OVERLOADED with Retry-After) against the engine alone, on a scripted
 * transport and fake timers: the till waits exactly what it was told, comes back on its own, and
 * a wait the server asked for is not a failure that lengthens the backoff of a later real one.
 */
const shed: SendOutcome = { kind: "failed", facts: { status: 429, retryAfter: "2", codes: ["OVERLOADED"], message: "The server is busy" } };
const networkDown: SendOutcome = { kind: "failed", facts: { codes: [], message: "fetch failed" } };
const ok = (sales: OfflineSale[]): SendOutcome => ({
  kind: "answered",
  answer: { synced: sales.map((s, i) => ({ clientTempId: s.clientTempId, serverId: `srv-${s.clientTempId}`, orderId: `ORD-${i}`, status: "CREATED", warnings: [] })), errors: [] },
});

const waitFor = async (done: () => boolean) => {
  for (let i = 0; i < 1000 && !done(); i++) await new Promise((r) => setImmediate(r));
  expect(done()).toBe(true);
};

describe("a till told to wait by a shedding server", () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ["nextTick", "queueMicrotask", "setImmediate"] }));
  afterEach(() => jest.useRealTimers());

  it("waits out each 429's Retry-After, then a later network failure backs off from the start, and every sale is sent until synced once", async () => {
    const { client, sent } = scriptedClient((sales, call) => (call <= 3 ? shed : call === 4 ? networkDown : ok(sales)), { backoff: { maxMs: 10_000 } });
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await client.recordSale({ items: [{ productId: "p1", quantity: 1, price: 2 }] })).clientTempId);
    expect(await client.sync()).toEqual({ kind: "retrying", error: "The server is busy", retryInMs: 2000 });
    for (const call of [2, 3, 4]) {
      await jest.advanceTimersByTimeAsync(1999);
      expect(sent).toHaveLength(call - 1);
      await jest.advanceTimersByTimeAsync(1);
      await waitFor(() => sent.length === call);
    }
    // Three sheds did not count as failures: the network failure waits the first backoff (10 ms), not 80.
    await waitFor(() => client.status().nextRetryAt !== null && !client.status().syncing);
    expect(Date.parse(client.status().nextRetryAt!) - Date.now()).toBe(10);
    await jest.advanceTimersByTimeAsync(10);
    await waitFor(() => client.pendingSales().length === 0);
    expect(sent).toEqual([ids, ids, ids, ids, ids]);
    expect(client.outboxRecords().map((r) => [r.clientTempId, r.state])).toEqual(ids.map((id) => [id, "synced"]));
    await client.dispose();
  });
});
