import { type SoakReport, formatReport, runSoak } from "../../tools/soak/soak";
import { type TestServer, startTestServer } from "../support/test-server";

/**
 * The soak (`npm run soak`) in its short form for CI: the same function, about 5 seconds per
 * transport, rate limits off so it measures the sync and not the limiter.
 */
let t: TestServer;
let report: SoakReport;
beforeAll(async () => {
  t = await startTestServer({ RATE_LIMIT_PER_TOKEN: "0", RATE_LIMIT_PER_IP: "0" });
  const shop = await t.seed();
  report = await runSoak({
    url: t.url,
    dataSource: t.dataSource,
    shop: { shopId: shop.shopId, token: shop.tokens.cashier, products: shop.products },
    secondsPerTransport: 5,
    maxRequestsPerTransport: 5_000,
    connections: 8,
    salesPerRequest: 5,
    duplicateRatio: 0.3,
  });
  console.log(`short soak on ${t.server.database.description}\n${formatReport(report)}`);
}, 120_000);
afterAll(async () => {
  await t.close();
});

describe("short soak under load with new and replayed sales", () => {
  it.each(["rest", "graphql"])("completes requests over %s without a 5xx, a 4xx, a connection error or a rejected sale", (name) => {
    const figures = report.transports.find((x) => x.transport === name)!;
    expect(figures.requests).toBeGreaterThan(0);
    expect(figures).toMatchObject({ status5xx: 0, status4xx: 0, connectionErrors: 0, saleErrors: 0, contradictions: 0 });
    expect(figures.created).toBeGreaterThan(0);
    expect(figures.existing).toBeGreaterThan(0);
  });

  it("records every sale sent exactly once: none lost, none doubled, none invented", () => {
    expect(report).toMatchObject({ lost: 0, doubled: 0, phantom: 0, unacknowledged: 0 });
    expect(report.rowsInDatabase).toBe(report.salesSent);
  });

  it("leaves every invariant of the shop intact", () => {
    expect(report.brokenInvariants).toEqual([]);
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
