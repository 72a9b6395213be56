import type { SeededShops } from "../../server/src/demo/seed";
import { authHeaders, gql } from "../support/transports";
import { TILL_SCREEN, type WebHarness, addPerson, connection, inContext, pairInPage, pairingCode, pickCashier, product, productButton, startWebHarness, stopWebHarness } from "./web-support";

/** The catalogue held on the till, in Debian's Chromium (issue 12). */
let h: WebHarness;

beforeAll(async () => {
  h = await startWebHarness();
}, 120_000);

afterAll(() => stopWebHarness(h));

async function setPrice(shop: SeededShops, id: string, price: number) {
  const res = await gql(h.server.url, authHeaders(shop.tokens.owner, shop.shopId), `mutation($id: ID!, $p: Float) { updateProduct(id: $id, price: $p) { id } }`, { id, p: price });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
}

describe("the catalogue on the web till", () => {
  it("records the offline sale at the price it was sold at, keeps the cart's price when a change arrives, and shows the new price once online", async () => {
    const shop = await h.server.seed();
    const mug = product(shop, "Ceramic mug");
    const ana = await addPerson(h.server, shop, "cashier", "Ana Cashier", "2468");
    const { code } = await pairingCode(h.server, shop);
    await inContext(h, "catalog-price", { viewport: TILL_SCREEN }, async (context) => {
      const page = await context.newPage();
      await page.goto(h.server.url);
      await pairInPage(page, code);
      await pickCashier(page, ana);
      await page.getByTestId("catalog-from").waitFor();
      await context.setOffline(true);
      await connection(page).getByText("Offline").waitFor();
      await productButton(page, "Ceramic mug").click();
      await page.getByRole("button", { name: /^Charge 12\.00/ }).click();
      await page.getByRole("group", { name: "Payment" }).getByRole("button", { name: "Card" }).click();
      await page.getByText(/^Receipt T01-000001 recorded \(12\.00\)/).waitFor();
      // The next sale is in the cart when the manager changes the price, the till still offline.
      await productButton(page, "Ceramic mug").click();
      await setPrice(shop, mug.id, 14);

      await context.setOffline(false);
      await connection(page).getByText("Online").waitFor();
      await productButton(page, "Ceramic mug").getByText("14.00").waitFor({ timeout: 30_000 });
      await page.locator("li.sale[data-state=synced]").waitFor();
      // The cart keeps the price it was rung up at.
      await page.getByTestId("cart-total").getByText("12.00").waitFor();
      const [sale] = await h.server.dataSource.query<{ price_cents: string; needs_review: boolean }[]>(
        `SELECT i.unit_price_cents::text AS price_cents, s.needs_review, s.review_reasons FROM sales s JOIN sale_items i ON i.shop_id = s.shop_id AND i.sale_id = s.id WHERE s.shop_id = $1`,
        [shop.shopId],
      );
      // Sold at the price valid when it was sold: recorded at it, not flagged.
      expect(sale).toEqual({ price_cents: "1200", needs_review: false, review_reasons: [] });

      // The sale after uses the new price.
      await page.getByRole("button", { name: "Clear" }).click();
      await productButton(page, "Ceramic mug").click();
      await page.getByTestId("cart-total").getByText("14.00").waitFor();
    });
  });
});
