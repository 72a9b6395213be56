import { MemoryStorage, type PosClient, createPosClient } from "../../../client/src";
import { tillNetwork } from "./till-network";
import type { StormTillReport, StormTillSpec } from "./storm-types";

/** A till of the storm: the real client package, its own MemoryStorage outbox, offline until told. */
export type StormTill = { recordOffline(sales: number): Promise<void>; comeOnline(storageStartedAt: number): Promise<StormTillReport>; dispose(): Promise<void> };

export function stormTill(url: string, spec: StormTillSpec, batchSize: number, timeoutMs: number): StormTill {
  const network = tillNetwork();
  const client = createPosClient({
    uri: `${url}/graphql`,
    shopId: spec.shopId,
    till: { id: spec.till.tillId, code: spec.till.code },
    storage: new MemoryStorage(),
    getToken: () => spec.till.token,
    fetch: network.fetch,
    batchSize,
    // Automatic triggers off: the till records offline, then comes online exactly when the storm
    // says (what the browser's `online` event does: sync now). Retries after a 429 are the
    // client's own (its engine re-triggers itself after Retry-After). No catalogue pulls: the storm
    // measures the sales' way in.
    syncOnStart: false,
    syncAfterRecordMs: false,
    syncIntervalMs: 0,
    catalogIntervalMs: false,
    networkEvents: false,
    locks: null,
    cacheMaxSize: false,
  });
  return {
    async recordOffline(sales) {
      await client.ready;
      for (let i = 0; i < sales; i++) await client.recordSale({ items: saleItems(spec, i) });
    },
    async comeOnline(stormStartedAt) {
      const onlineAt = Date.now();
      network.goOnline();
      void client.sync().catch(() => undefined);
      const emptied = await queueEmpty(client, timeoutMs);
      return report(spec, client, network.counts, emptied ? Date.now() - onlineAt : Number.NaN, onlineAt - stormStartedAt);
    },
    dispose: () => client.dispose(),
  };
}

/** Two or three distinct products, quantities 1..3: a basket as a till rings it up. */
function saleItems(spec: StormTillSpec, n: number) {
  const lines = 2 + (n % 2);
  return Array.from({ length: lines }, (_, k) => {
    const product = spec.products[(n * 7 + k * 13 + spec.till.code.length) % spec.products.length];
    return { productId: product.id, quantity: 1 + ((n + k) % 3), price: product.price, discountPercent: 0 };
  });
}

/** Resolves true once nothing is pending (or failed), false after `timeoutMs`: the wait is bounded. */
function queueEmpty(client: PosClient, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (value: boolean) => {
      clearTimeout(timer);
      unsubscribe();
      resolve(value);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    const unsubscribe = client.subscribe((s) => {
      if (s.pending === 0 && !s.syncing) done(true);
    });
    const s = client.status();
    if (s.pending === 0 && !s.syncing) done(true);
  });
}

function report(spec: StormTillSpec, client: PosClient, counts: ReturnType<typeof tillNetwork>["counts"], drainMs: number, onlineAtMs: number): StormTillReport {
  const records = client.outboxRecords();
  const synced = records.filter((r) => r.state === "synced" && r.serverId).length;
  return {
    tillId: spec.till.tillId,
    shopId: spec.shopId,
    synced,
    unsynced: records.length - synced,
    drainMs,
    onlineAtMs,
    ...counts,
    clientTempIds: records.map((r) => r.clientTempId),
  };
}
