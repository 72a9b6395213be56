import { get as httpGet } from "node:http";
import { holdRequest } from "../support/raw-http";
import { saleOf } from "../support/sales";
import { checkThroughCli, databaseEnv, seedThroughCli, spawnServer } from "../support/server-process";
import { authHeaders, rest } from "../support/transports";

/**
 * Issue 14, item 1, with the real production start command: the compiled server as its own process
 * with NODE_ENV=production (Apollo Server installs its own SIGTERM handler unless NODE_ENV=test, so
 * a suite that only ever runs NODE_ENV=test cannot see who owns the signal). On either database.
 */
const JWT_SECRET = "shutdown-test-secret-0123456789abcdef";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("1. SIGTERM drains the production server", () => {
  it("finishes a 1,000-sale batch sent 150 ms before SIGTERM, refuses new requests while draining, and exits 0", async () => {
    const db = databaseEnv();
    const shop = await seedThroughCli(db, { JWT_SECRET });
    const server = await spawnServer(db, { NODE_ENV: "production", JWT_SECRET });
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    // Two requests whose bodies are not complete until after the signal: their connections are busy
    // through the signal, so the request each sends next arrives while the server drains.
    const sync = { method: "POST", path: "/api/pos/sync", headers };
    const heldForReadyz = await holdRequest(server.url, { ...sync, body: { sales: [saleOf(shop)] } });
    const heldForSync = await holdRequest(server.url, { ...sync, body: { sales: [saleOf(shop)] } });

    const batch = Array.from({ length: 1000 }, () => saleOf(shop));
    const started = Date.now();
    const inFlight = rest.sync(server.url, headers, batch).catch((error: Error) => error);
    await sleep(150);
    server.child.kill("SIGTERM");
    // The embedded database runs in the server's own thread: the signal is seen between its steps.
    const deadline = Date.now() + 20_000;
    const gone = () => server.child.exitCode !== null || server.child.signalCode !== null;
    const draining = () => server.output().includes('"msg":"shutting down: draining in-flight requests"');
    while (!draining() && !gone() && Date.now() < deadline) await sleep(10);
    expect(gone() ? `died by ${server.child.signalCode ?? server.child.exitCode}` : "draining").toBe("draining");

    // A new connection of its own (fetch could reuse the batch's keep-alive socket if the batch
    // already finished, and a request on an open connection is still answered while draining).
    const refused = await freshConnectionStatus(`${server.url}/healthz`);
    expect(refused).toBe("refused"); // no new connections
    const lateSale = saleOf(shop);
    const [afterReadyz, afterSync] = await Promise.all([
      heldForReadyz.finishThen({ method: "GET", path: "/readyz" }),
      heldForSync.finishThen({ ...sync, body: { sales: [lateSale] } }),
    ]);
    const answer = await inFlight;
    expect(answer).toMatchObject({ httpStatus: 200 });
    if (answer instanceof Error) throw answer;
    expect(answer.synced.filter((s) => s.status === "created")).toHaveLength(1000);
    expect(answer.errors).toEqual([]);
    expect(Date.now() - started).toBeGreaterThan(150);

    // The held requests were in flight: they finish. What each connection sent next is refused.
    expect(afterReadyz.map((r) => r.status)).toEqual([200, 503]);
    expect(JSON.parse(afterReadyz[1].body)).toEqual({ status: "draining" });
    expect(afterSync.map((r) => r.status)).toEqual([200, 503]);
    expect(JSON.parse(afterSync[1].body)).toMatchObject({ code: "UNAVAILABLE" });
    expect(afterSync[1].headers["retry-after"]).toMatch(/^\d+$/);
    expect(afterSync[1].headers.connection).toBe("close");

    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('"msg":"stopped"');
    const check = await checkThroughCli(db, shop.shopId);
    // The batch and the two held sales; not the one refused while draining.
    expect(check.output).toContain("invariants hold: 1 shop(s), 1002 sales");
  }, 120_000); // on the embedded database three processes each open PGlite: slow on a loaded machine
});

/** GET on a connection opened for it alone: its status, "refused" when no connection is accepted, "timeout" when nothing answers. */
function freshConnectionStatus(url: string): Promise<number | "refused" | "timeout"> {
  return new Promise((resolve) => {
    const req = httpGet(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED" ? "refused" : "timeout"));
    req.setTimeout(5_000, () => (resolve("timeout"), req.destroy()));
  });
}
