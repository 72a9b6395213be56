import { InvalidSaleError, MemoryStorage } from "../../client/src";
import { buildOfflineSale } from "../../client/src/record-sale";
import { toInput } from "../../client/src/sync/sync-transport";
import { type TestServer, startTestServer } from "../support/test-server";
import { addMember, authClient, pairedTillAnswer, serverSalesOf } from "./auth-harness";

const line = { productId: "p1", quantity: 1, price: 2 };
const NOW = new Date("2024-05-01T10:00:00Z");

describe("the cashier of a sale (staffId)", () => {
  it("is kept on the outbox record and sent as staffId", () => {
    const sale = buildOfflineSale({ items: [line], staffId: "s-1" }, NOW, () => "id");
    expect(sale.staffId).toBe("s-1");
    expect(toInput(sale).staffId).toBe("s-1");
  });

  it("is no field at all when the sale has none, as in records written before it existed", () => {
    const sale = buildOfflineSale({ items: [line] }, NOW, () => "id");
    expect(sale).not.toHaveProperty("staffId");
    expect(JSON.parse(JSON.stringify(toInput(sale)))).not.toHaveProperty("staffId");
    expect(JSON.parse(JSON.stringify(toInput({ ...sale, staffId: null })))).not.toHaveProperty("staffId");
  });

  it("is refused at recording when the server would refuse it (not a string, over 100 characters)", () => {
    expect(() => buildOfflineSale({ items: [line], staffId: "x".repeat(101) }, NOW, () => "id")).toThrow(InvalidSaleError);
    expect(() => buildOfflineSale({ items: [line], staffId: 7 as unknown as string }, NOW, () => "id")).toThrow(InvalidSaleError);
  });

  describe("through the server", () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer();
    });
    afterAll(async () => {
      await t.close();
    });

    it("is stored with the sale beside the till that recorded it", async () => {
      const shop = await t.seed();
      const cashier = await addMember(t, shop.shopId, "cashier");
      const till = await pairedTillAnswer(t, shop);
      const pos = authClient(t, shop.shopId, { storage: new MemoryStorage(), credential: till });
      const product = shop.products[0];
      const withCashier = await pos.recordSale({ items: [{ productId: product.id, quantity: 1, price: product.price }], staffId: cashier.id });
      const without = await pos.recordSale({ items: [{ productId: product.id, quantity: 1, price: product.price }] });
      expect(await pos.sync()).toEqual({ kind: "done", synced: 2, failed: 0 });
      const rows = new Map((await serverSalesOf(t, shop.shopId)).map((r) => [r.client_temp_id, r]));
      expect(rows.get(withCashier.clientTempId)).toMatchObject({ staff_id: cashier.id, till_id: till.till.id });
      expect(rows.get(without.clientTempId)).toMatchObject({ staff_id: null, till_id: till.till.id });
      await pos.dispose();
    });
  });
});
