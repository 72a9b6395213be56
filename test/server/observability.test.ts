import { Writable } from "node:stream";
import { createApp } from "../../server/src/api/http/app";
import { createLogger } from "../../server/src/observability/logger";
import { createMetrics } from "../../server/src/observability/metrics";
import { createServices } from "../../server/src/services";
import { saleOf } from "../support/sales";
import { type TestServer, startTestServer } from "../support/test-server";
import { TRANSPORTS, authHeaders } from "../support/transports";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

describe("metrics", () => {
  it("exposes sync outcomes, latency histograms and database pool usage in Prometheus format", async () => {
    const shop = await t.seed();
    const sale = saleOf(shop);
    for (const transport of TRANSPORTS) await transport.sync(t.url, authHeaders(shop.tokens.cashier, shop.shopId), [sale, saleOf(shop, { createdAt: "nope" })]);
    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    const value = (line: string) => Number(new RegExp(`^${line.replace(/[{}"]/g, "\\$&")} (\\S+)$`, "m").exec(text)?.[1]);
    expect(value('possync_sync_sales_total{status="created"}')).toBeGreaterThanOrEqual(1);
    expect(value('possync_sync_sales_total{status="existing"}')).toBeGreaterThanOrEqual(1);
    expect(value('possync_sync_sales_total{status="rejected"}')).toBeGreaterThanOrEqual(2);
    expect(value("possync_sync_batch_seconds_count")).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^possync_http_request_duration_seconds_bucket\{le="[^"]+",route="\/api\/pos\/sync",method="POST",status="200"\} \d+$/m);
    expect(text).toMatch(/^possync_http_request_duration_seconds_bucket\{le="[^"]+",route="\/graphql",method="POST",status="200"\} \d+$/m);
    expect(value("possync_db_pool_max")).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^possync_db_pool_connections \d+$/m);
  });
});

describe("structured logs", () => {
  it("writes JSON lines with the request id on every line, the batch counts, and never the token or the payload", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(...String(chunk).split("\n").filter(Boolean));
        done();
      },
    });
    const logger = createLogger("info", sink);
    const services = createServices(t.dataSource, { maxSalesPerRequest: 1000 }, logger);
    const app = await createApp(t.config, t.dataSource, services, logger, createMetrics(() => ({ total: 0, idle: 0, waiting: 0, max: 0 })));
    const server = app.express.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const shop = await t.seed();
      const sale = saleOf(shop, { customerId: "4b1d0000-0000-4000-8000-000000000000" });
      const res = await fetch(`${url}/api/pos/sync`, {
        method: "POST",
        headers: { "content-type": "application/json", ...authHeaders(shop.tokens.cashier, shop.shopId), "x-request-id": "req-under-test" },
        body: JSON.stringify({ sales: [sale] }),
      });
      expect(res.headers.get("x-request-id")).toBe("req-under-test");
      const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const mine = parsed.filter((l) => l.reqId === "req-under-test" || (l.req as { id?: string })?.id === "req-under-test");
      expect(mine.length).toBeGreaterThanOrEqual(2);
      expect(parsed.every((l) => l.reqId === "req-under-test" || (l.req as { id?: string })?.id === "req-under-test")).toBe(true);
      expect(mine).toContainEqual(expect.objectContaining({ msg: "sync batch", created: 1, existing: 0, rejected: 0 }));
      const all = lines.join("\n");
      expect(all).not.toContain(shop.tokens.cashier);
      expect(all).not.toContain(sale.clientTempId);
    } finally {
      server.close();
      await app.stopGraphQL();
    }
  });
});
