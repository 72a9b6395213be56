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

describe.each(TRANSPORTS)("$name transport", (transport) => {
  it("creates a sale and answers existing for its replay", async () => {
    const shop = await t.seed();
    const sale = saleOf(shop);
    const headers = authHeaders(shop.tokens.cashier, shop.shopId);
    const first = await transport.sync(t.url, headers, [sale]);
    expect(first.synced).toEqual([expect.objectContaining({ clientTempId: sale.clientTempId, status: "created" })]);
    const again = await transport.sync(t.url, headers, [sale]);
    expect(again.synced[0]).toEqual({ ...first.synced[0], status: "existing" });
  });
});
