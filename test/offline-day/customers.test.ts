import { randomUUID } from "node:crypto";
import type { SeededShops } from "../../server/src/demo/seed";
import { checkInvariants } from "../../server/src/invariants/check";
import { saleRowsFor } from "../support/database";
import { type TestServer, startTestServer } from "../support/test-server";
import { TRANSPORTS, authHeaders, gql } from "../support/transports";
import { pairedTill } from "../receipts/receipts-support";
import { customerOf, paidSale, syncDay } from "./offline-day-support";

let t: TestServer;
let shop: SeededShops;
beforeAll(async () => {
  t = await startTestServer();
  shop = await t.seed();
});
afterAll(async () => t.close());

const cashier = () => authHeaders(shop.tokens.cashier, shop.shopId);

describe.each(TRANSPORTS)("customers created offline over $name", (transport) => {
  it("records a customer and its sale in one request, the sale pointing at the server's customer", async () => {
    const till = await pairedTill(t, shop);
    const customer = customerOf();
    const sale = paidSale(shop, { customerClientTempId: customer.clientTempId });
    const answer = await syncDay(transport, t.url, till.headers, { customers: [customer], sales: [sale] });
    expect(answer.httpStatus).toBe(200);
    expect(answer.customers).toEqual({ synced: [{ clientTempId: customer.clientTempId, serverId: expect.any(String), status: "created", warnings: [] }], errors: [] });
    expect(answer.sales.errors).toEqual([]);
    expect(answer.sales.synced[0].warnings).toEqual([]);
    const [row] = await saleRowsFor(t.dataSource, shop.shopId, sale.clientTempId);
    expect(row.customer_id).toBe(answer.customers.synced[0].serverId);
    const res = await gql<{ customer: { id: string; name: string; email: string; phone: string; clientTempId: string; sales: { items: { id: string }[] } } }>(
      t.url,
      cashier(),
      `query($id: ID!) { customer(id: $id) { id name email phone clientTempId sales(first: 10) { items { id } nextCursor } } }`,
      { id: row.customer_id },
    );
    expect(res.data?.customer).toMatchObject({ name: "Grace Hopper", email: "grace@example.com", phone: "+44 20 7946 0000", clientTempId: customer.clientTempId });
    expect(res.data?.customer.sales.items).toEqual([{ id: row.id }]);
  });

  it("resolves a customer synced in an earlier request, and answers the customer's retry existing", async () => {
    const customer = customerOf();
    const first = await syncDay(transport, t.url, cashier(), { customers: [customer] });
    const sale = paidSale(shop, { customerClientTempId: customer.clientTempId });
    const second = await syncDay(transport, t.url, cashier(), { customers: [customer], sales: [sale] });
    expect(second.customers.synced).toEqual([{ clientTempId: customer.clientTempId, serverId: first.customers.synced[0].serverId, status: "existing", warnings: [] }]);
    const [row] = await saleRowsFor(t.dataSource, shop.shopId, sale.clientTempId);
    expect(row.customer_id).toBe(first.customers.synced[0].serverId);
  });

  it("refuses a different customer under a used clientTempId and keeps the original", async () => {
    const customer = customerOf();
    const first = await syncDay(transport, t.url, cashier(), { customers: [customer] });
    const again = await syncDay(transport, t.url, cashier(), { customers: [{ ...customer, name: "Someone else" }] });
    expect(again.customers).toEqual({
      synced: [],
      errors: [{ clientTempId: customer.clientTempId, error: `clientTempId ${customer.clientTempId} was already used for a different customer; the original was kept unchanged`, retryable: false }],
    });
    const [row] = await t.dataSource.query(`SELECT name FROM customers WHERE shop_id = $1 AND id = $2`, [shop.shopId, first.customers.synced[0].serverId]);
    expect(row.name).toBe("Grace Hopper");
  });

  it("answers the same customer twice in one request created then existing", async () => {
    const customer = customerOf();
    const answer = await syncDay(transport, t.url, cashier(), { customers: [customer, customer] });
    expect(answer.customers.synced.map((s) => s.status)).toEqual(["created", "existing"]);
    expect(new Set(answer.customers.synced.map((s) => s.serverId)).size).toBe(1);
  });

  it("records a sale whose customer temp id cannot be resolved without a customer, with a warning", async () => {
    const ghost = randomUUID();
    const sale = paidSale(shop, { customerClientTempId: ghost });
    const answer = await syncDay(transport, t.url, cashier(), { sales: [sale], customers: [] });
    expect(answer.sales.synced[0].warnings).toEqual([`Customer ${ghost} (created offline) not found; the sale was recorded without a customer`]);
    expect((await saleRowsFor(t.dataSource, shop.shopId, sale.clientTempId))[0].customer_id).toBeNull();
  });

  it("lets customerId win over customerClientTempId, with a warning when they name different customers", async () => {
    const customer = customerOf();
    const sale = paidSale(shop, { customerId: shop.customerId, customerClientTempId: customer.clientTempId });
    const answer = await syncDay(transport, t.url, cashier(), { customers: [customer], sales: [sale] });
    expect(answer.sales.synced[0].warnings).toEqual([
      `customerClientTempId ${customer.clientTempId} was ignored: customerId ${shop.customerId} was given and wins`,
    ]);
    expect((await saleRowsFor(t.dataSource, shop.shopId, sale.clientTempId))[0].customer_id).toBe(shop.customerId);
  });

  it("answers an invalid customer with an error naming the field, and still records the rest", async () => {
    const bad = customerOf({ email: "not-an-email" });
    const good = customerOf();
    const answer = await syncDay(transport, t.url, cashier(), { customers: [bad, good] });
    expect(answer.customers.errors).toEqual([{ clientTempId: bad.clientTempId, error: "Invalid customer: email must be an email address", retryable: false }]);
    expect(answer.customers.synced.map((s) => s.clientTempId)).toEqual([good.clientTempId]);
  });

  it("never answers 500 for a customers value that is not a list", async () => {
    const answer = await syncDay(transport, t.url, cashier(), { customers: "nope" as never });
    expect(answer.httpStatus).toBe(400);
    expect(answer.failure?.code).toMatch(/BAD_REQUEST|BAD_USER_INPUT/);
  });
});

it("keeps the invariants after the customers' tests", async () => {
  expect(await checkInvariants(t.dataSource, { shopId: shop.shopId })).toEqual([]);
});
