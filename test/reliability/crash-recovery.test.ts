import { saleOf } from "../support/sales";
import { checkThroughCli, databaseEnv, seedThroughCli, spawnServer } from "../support/server-process";
import { lockProduct } from "../support/locks";
import { authHeaders, rest } from "../support/transports";

/**
 * SIGKILL in the middle of a 1,000-sale batch. On PostgreSQL a lock held by the test stops the
 * batch mid-transaction at a known point; on the embedded database the kill lands wherever the
 * batch is after 100 ms, which also proves PGlite recovers its files after a crash.
 */
describe("a server killed mid-batch", () => {
  it("leaves no half-written sale, and resending the batch answers created for the missing and existing for the rest", async () => {
    const db = databaseEnv();
    const shop = await seedThroughCli(db);
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    const first = await spawnServer(db);
    const landed = Array.from({ length: 500 }, () => saleOf(shop));
    const interrupted = Array.from({ length: 500 }, () => saleOf(shop));
    const batch = [...landed, ...interrupted];
    const before = await rest.sync(first.url, headers, landed);
    expect(before.synced.filter((s) => s.status === "created")).toHaveLength(500);

    const url = process.env.TEST_DATABASE_URL;
    const lock = url ? await lockProduct(url, shop.shopId, shop.products[0].id) : undefined;
    const inFlight = rest.sync(first.url, headers, batch).catch((error: unknown) => error);
    if (lock) await lock.waitForBlockedBackend();
    else await new Promise((r) => setTimeout(r, 100));
    first.child.kill("SIGKILL");
    await first.exited;
    await lock?.release();
    expect(await inFlight).toMatchObject({ message: "fetch failed" }); // the connection died with the server

    const afterCrash = await checkThroughCli(db, shop.shopId);
    expect(afterCrash).toEqual({ code: 0, output: expect.stringContaining("invariants hold") });

    const second = await spawnServer(db);
    try {
      const resent = await rest.sync(second.url, headers, batch);
      expect(resent.errors).toEqual([]);
      const existing = resent.synced.filter((s) => s.status === "existing").length;
      const created = resent.synced.filter((s) => s.status === "created").length;
      expect(existing + created).toBe(1000);
      if (lock) expect({ existing, created }).toEqual({ existing: 500, created: 500 });
      else expect([500, 1000]).toContain(existing);
      for (const [i, s] of resent.synced.slice(0, 500).entries()) expect(s).toMatchObject({ serverId: before.synced[i].serverId, status: "existing" });
      const final = await checkThroughCli(db, shop.shopId);
      expect(final.output).toContain("invariants hold: 1 shop(s), 1000 sales");
    } finally {
      second.child.kill("SIGTERM");
      expect(await second.exited).toBe(0);
    }
  });
});
