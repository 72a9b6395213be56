import { MemoryStorage, type OfflineSale, SaleInFlightError } from "../../client/src";
import type { SendOutcome } from "../../client/src/sync/sync-transport";
import { scriptedClient } from "./scripted-client";

/** The engine alone, against a scripted transport: no server, exact control of each answer. */
function clientWith(answer: Parameters<typeof scriptedClient>[0], storage = new MemoryStorage()) {
  return scriptedClient(answer, { storage });
}

const ok = (sales: OfflineSale[]): SendOutcome => ({
  kind: "answered",
  answer: { synced: sales.map((s, i) => ({ clientTempId: s.clientTempId, serverId: `srv-${s.clientTempId}`, orderId: `ORD-${i}`, status: "CREATED", warnings: [] })), errors: [] },
});

const line = { productId: "p1", quantity: 1, price: 2 };

/** Lets promises settle (no timers involved) until `done` holds. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !done(); i++) await new Promise((r) => setImmediate(r));
  expect(done()).toBe(true);
}

describe("the sync engine", () => {
  it("honours a 503's Retry-After, then retries on its own", async () => {
    jest.useFakeTimers({ doNotFake: ["nextTick", "queueMicrotask", "setImmediate"] });
    try {
      const { client, sent } = clientWith((sales, call) =>
        call === 1 ? { kind: "failed", facts: { status: 503, retryAfter: "1", codes: [], message: "maintenance" } } : ok(sales),
      );
      const { clientTempId } = await client.recordSale({ items: [line] });
      const report = await client.sync();
      expect(report).toEqual({ kind: "retrying", error: "maintenance", retryInMs: 1000 });
      expect(client.status()).toMatchObject({ online: true, lastError: "maintenance", nextRetryAt: new Date(Date.now() + 1000).toISOString() });
      await jest.advanceTimersByTimeAsync(999);
      expect(sent).toEqual([[clientTempId]]);
      await jest.advanceTimersByTimeAsync(1);
      await until(() => client.outboxRecords()[0].state === "synced");
      expect(sent).toEqual([[clientTempId], [clientTempId]]);
      expect(client.outboxRecords()[0]).toMatchObject({ state: "synced", orderId: "ORD-0" });
      await client.dispose();
    } finally {
      jest.useRealTimers();
    }
  });

  it("splits a batch the server refuses as a whole until the bad sale fails alone", async () => {
    const coercionError = 'Variable "$sales" got invalid value 1.5 at "sales[0].items[0].quantity"; Int cannot represent non-integer value: 1.5';
    let bad = "";
    const { client, sent } = clientWith((sales) =>
      sales.some((s) => s.clientTempId === bad) ? { kind: "failed", facts: { status: 400, codes: ["BAD_USER_INPUT"], message: coercionError } } : ok(sales),
    );
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push((await client.recordSale({ items: [line] })).clientTempId);
    bad = ids[5];
    expect(await client.sync()).toEqual({ kind: "done", synced: 7, failed: 1 });
    expect(client.pendingSales()).toEqual([expect.objectContaining({ clientTempId: bad, state: "failed", syncError: coercionError })]);
    expect(sent.length).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(8)));
    await client.dispose();
  });

  it("keeps the whole queue pending and backs off when a proxy answers 404 to every request", async () => {
    const { client, sent } = clientWith(() => ({ kind: "failed", facts: { status: 404, codes: [], message: "Not Found" } }));
    for (let i = 0; i < 8; i++) await client.recordSale({ items: [line] });
    expect(await client.sync()).toEqual({ kind: "retrying", error: "HTTP 404: Not Found", retryInMs: 10 });
    expect(sent).toHaveLength(1);
    expect(client.pendingSales().map((r) => [r.state, r.attempts])).toEqual(Array(8).fill(["pending", 0]));
    expect(client.status()).toMatchObject({ pending: 8, failed: 0, lastError: "HTTP 404: Not Found", nextRetryAt: expect.any(String) });
    await client.dispose();
  });

  it("sends in recorded order, in batches of batchSize, one sync at a time", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const { client, sent } = clientWith(async (sales) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return ok(sales);
    });
    const ids: string[] = [];
    for (let i = 0; i < 250; i++) ids.push((await client.recordSale({ items: [line] })).clientTempId);
    const [a, b] = await Promise.all([client.sync(), client.sync()]);
    expect(a).toEqual(b);
    expect(maxInFlight).toBe(1);
    expect(sent.map((batch) => batch.length)).toEqual([100, 100, 50]);
    expect(sent.flat()).toEqual(ids);
    await client.dispose();
  });

  it("backs off after network errors and counts the attempts on each sale", async () => {
    jest.useFakeTimers({ doNotFake: ["nextTick", "queueMicrotask", "setImmediate"] });
    try {
      const { client, sent } = clientWith(() => ({ kind: "failed", facts: { codes: [], message: "fetch failed" } }));
      await client.recordSale({ items: [line] });
      const first = await client.sync();
      expect(first).toMatchObject({ kind: "retrying", retryInMs: 10 });
      expect(client.status().online).toBe(false);
      await jest.advanceTimersByTimeAsync(10);
      await until(() => client.pendingSales()[0].attempts === 2);
      // The second failure waits twice as long (no jitter here): nothing is sent in between.
      await jest.advanceTimersByTimeAsync(19);
      expect(sent).toHaveLength(2);
      await jest.advanceTimersByTimeAsync(1);
      await until(() => client.pendingSales()[0].attempts === 3);
      await client.dispose();
    } finally {
      jest.useRealTimers();
    }
  });

  it("refuses to discard a sale another tab started sending after this one last looked, and keeps it shown", async () => {
    const storage = new MemoryStorage();
    const here = clientWith(ok, storage).client;
    const { clientTempId } = await here.recordSale({ items: [line] });
    expect(here.outboxRecords()[0].state).toBe("pending");
    let answer!: () => void;
    const otherTab = clientWith((sales) => new Promise<SendOutcome>((resolve) => (answer = () => resolve(ok(sales)))), storage).client;
    await otherTab.ready;
    const syncing = otherTab.sync();
    while (!answer) await new Promise((r) => setTimeout(r, 1));

    await expect(here.discard(clientTempId)).rejects.toThrow(SaleInFlightError);
    expect(here.apollo.cache.extract()).toHaveProperty([`Sale:${clientTempId}`]);
    answer();
    expect(await syncing).toEqual({ kind: "done", synced: 1, failed: 0 });
    await here.dispose();
    await otherTab.dispose();
  });

  describe("sales the server answered but could not take now", () => {
    const serverFailed = "The server could not record this sale; it was not saved. Retry later.";
    const answerWith = (sales: OfflineSale[], later: (id: string) => "retryable" | "left out" | null): SendOutcome => {
      const taken = sales.filter((s) => later(s.clientTempId) === null);
      const answer = ok(taken);
      if (answer.kind !== "answered") throw new Error("unreachable");
      const errors = sales.filter((s) => later(s.clientTempId) === "retryable").map((s) => ({ clientTempId: s.clientTempId, error: serverFailed, retryable: true }));
      return { kind: "answered", answer: { ...answer.answer, errors } };
    };
    beforeEach(() => jest.useFakeTimers({ doNotFake: ["nextTick", "queueMicrotask", "setImmediate"] }));
    afterEach(() => jest.useRealTimers());

    it("puts a retryable error back to pending and resends it after the backoff, while the others sync", async () => {
      let failing = "";
      const { client, sent } = clientWith((sales, call) => answerWith(sales, (id) => (call === 1 && id === failing ? "retryable" : null)));
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await client.recordSale({ items: [line] })).clientTempId);
      failing = ids[1];
      expect(await client.sync()).toEqual({ kind: "retrying", error: serverFailed, retryInMs: 10 });
      expect(sent).toEqual([ids]);
      expect(client.pendingSales()).toEqual([expect.objectContaining({ clientTempId: failing, state: "pending", attempts: 1 })]);
      expect(client.status()).toMatchObject({ pending: 1, synced: 2, failed: 0, online: true, lastError: serverFailed });

      await jest.advanceTimersByTimeAsync(9);
      expect(sent).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(1);
      await until(() => client.pendingSales().length === 0);
      expect(sent).toEqual([ids, [failing]]);
      expect(client.status()).toMatchObject({ pending: 0, synced: 3, failed: 0, lastError: null });
      await client.dispose();
    });

    it("resends a sale missing from the answer after a backoff, not in a tight loop", async () => {
      let missing = "";
      const { client, sent } = clientWith((sales) => answerWith(sales, (id) => (id === missing ? "left out" : null)));
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await client.recordSale({ items: [line] })).clientTempId);
      missing = ids[2];
      const report = await client.sync();
      expect(report).toMatchObject({ kind: "retrying", error: expect.stringMatching(/did not include/), retryInMs: 10 });
      expect(sent).toEqual([ids]);
      expect(client.pendingSales()).toEqual([expect.objectContaining({ clientTempId: missing, state: "pending", attempts: 1 })]);
      // Still left out: each resend waits longer (10, 20 ms here), and none happens in between.
      await jest.advanceTimersByTimeAsync(10);
      await until(() => sent.length === 2);
      await jest.advanceTimersByTimeAsync(19);
      expect(sent).toEqual([ids, [missing]]);
      await jest.advanceTimersByTimeAsync(1);
      await until(() => sent.length === 3);
      await client.dispose();
    });

    it("stops the run and backs off when the server takes none of a batch, instead of sending the rest of the queue", async () => {
      const { client, sent } = clientWith((sales) => answerWith(sales, () => "retryable"));
      for (let i = 0; i < 250; i++) await client.recordSale({ items: [line] });
      expect(await client.sync()).toMatchObject({ kind: "retrying", error: serverFailed });
      expect(sent.map((batch) => batch.length)).toEqual([100]);
      expect(client.status()).toMatchObject({ pending: 250, failed: 0 });
      await client.dispose();
    });

    it("matches the answer to the sales whatever the case of the echoed clientTempId", async () => {
      const { client } = clientWith((sales) => {
        const answer = ok(sales);
        if (answer.kind !== "answered") throw new Error("unreachable");
        return { kind: "answered", answer: { ...answer.answer, synced: answer.answer.synced.map((s) => ({ ...s, clientTempId: s.clientTempId.toUpperCase() })) } };
      });
      await client.recordSale({ items: [line] });
      expect(await client.sync()).toEqual({ kind: "done", synced: 1, failed: 0 });
      await client.dispose();
    });
  });
});
