import { type StormResult, type StormTillReport, runStorm, seedStormShops, verifyStorm } from "../../tools/bench/storm/storm";
import { databaseEnv } from "../support/server-process";
import { STORM_SECRET, startStormServer, withDatabase } from "./storm-support";

/**
 * The reconnect storm, short: 100 tills (10 shops x 10 tills) of the real client package, 10 sales
 * each recorded offline, all online within one second, against the production server process with
 * a sync queue bound low enough (SYNC_MAX_QUEUED_SALES=10: one request) that it must shed.
 * The same code as the bench's storm phase, with its tills in this process.
 */
const SHOPS = 10;
const TILLS_PER_SHOP = 10;
const SALES_PER_TILL = 10;
const MAX_QUEUED_SALES = 10;
const MAX_RETRY_AFTER_S = 5;

describe("a reconnect storm against the production server", () => {
  let result: StormResult;

  beforeAll(async () => {
    const db = databaseEnv();
    const shops = await withDatabase(db, (d) => seedStormShops(d.dataSource, STORM_SECRET, { shops: SHOPS, tillsPerShop: TILLS_PER_SHOP, products: 20 }));
    const server = await startStormServer(db, {
      JWT_SECRET: STORM_SECRET,
      SYNC_MAX_QUEUED_SALES: String(MAX_QUEUED_SALES),
      SYNC_RETRY_AFTER_MAX_SECONDS: String(MAX_RETRY_AFTER_S),
    });
    let reports: StormTillReport[];
    try {
      ({ result, reports } = await runStorm({ url: server.url, shops, tills: SHOPS * TILLS_PER_SHOP, salesPerTill: SALES_PER_TILL, workers: 0, timeoutMs: 60_000 }));
    } finally {
      await server.stop();
    }
    // After the server stopped: the embedded database belongs to one process at a time.
    result.database = await withDatabase(db, (d) => verifyStorm(d.dataSource, shops, reports));
  }, 120_000);

  it("syncs every till's queue, with no 5xx and no request that got no answer", () => {
    expect(result).toMatchObject({ tills: 100, sales: 1000, synced: 1000, tillsNotEmptied: 0, status5xx: 0, otherFailures: 0 });
  });

  it("sheds with 429 and a Retry-After from its queue, and every till waits it out", () => {
    expect(result.shedByServer).toBeGreaterThan(0);
    expect(result.shedSeenByTills).toBe(result.shedByServer);
    expect(result.honoured).toBe(result.shedSeenByTills);
    expect(result.longestRetryAfterS).toBeGreaterThanOrEqual(1);
    expect(result.longestRetryAfterS).toBeLessThanOrEqual(MAX_RETRY_AFTER_S);
  });

  it("starves no till: the slowest empties its queue within a generous bound of the median", () => {
    expect(result.drainMs.max).toBeLessThanOrEqual(Math.max(10 * result.drainMs.median, 15_000));
  });

  it("records every sale exactly once and the invariants hold", () => {
    expect(result.database).toEqual({ salesInDatabase: 1000, recordedFound: 1000, duplicates: 0, brokenInvariants: [] });
  });
});
