import * as path from "node:path";
import { stockOf } from "../support/database";
import { ARTIFACTS, TILL_SCREEN, type WebHarness, addPerson, connection, inContext, pairInPage, pairingCode, pickCashier, product, productButton, startWebHarness, stopWebHarness } from "./web-support";

/** A till's offline day in Debian's Chromium (issue 11): a new customer, cash with change, a refund, then online. */
let h: WebHarness;

beforeAll(async () => {
  h = await startWebHarness();
}, 120_000);

afterAll(() => stopWebHarness(h));

describe("an offline day on the web till", () => {
  it("signs a customer up, takes cash with change and refunds part of the sale offline; online, all of it is synced, linked and restocked", async () => {
    const shop = await h.server.seed();
    const mug = product(shop, "Ceramic mug");
    const ana = await addPerson(h.server, shop, "cashier", "Ana Cashier", "2468");
    const { code } = await pairingCode(h.server, shop);
    await inContext(h, "offline-day", { viewport: TILL_SCREEN }, async (context) => {
      const page = await context.newPage();
      await page.goto(h.server.url);
      await pairInPage(page, code);
      await pickCashier(page, ana);
      await productButton(page, "Ceramic mug").waitFor();
      await context.setOffline(true);
      await connection(page).getByText("Offline").waitFor();

      await productButton(page, "Ceramic mug").click();
      await productButton(page, "Ceramic mug").click();
      await page.getByRole("button", { name: "New customer" }).click();
      await page.getByLabel("Name", { exact: true }).fill("Grace Hopper");
      await page.getByLabel("Email or phone").fill("grace@example.com");
      await page.getByRole("button", { name: "Add customer" }).click();
      await page.getByTestId("cart-customer").getByText("Grace Hopper").waitFor();

      await page.getByRole("button", { name: /^Charge 24\.00/ }).click();
      await page.getByRole("group", { name: "Payment" }).getByRole("button", { name: "Cash" }).click();
      await page.getByLabel("Cash received").fill("30");
      await page.getByTestId("change").getByText("6.00").waitFor();
      await page.getByRole("button", { name: "Take cash" }).click();
      await page.getByText("Receipt T01-000001 recorded (24.00). Change 6.00.").waitFor();

      const row = page.locator("li.sale[data-receipt=T01-000001]");
      await row.getByRole("button", { name: "Refund…" }).click();
      await row.getByLabel("Refund how many Ceramic mug").fill("1");
      await row.getByLabel("Reason").fill("chipped");
      await row.getByRole("button", { name: "Refund 12.00 in cash" }).click();
      await row.locator("li.sale-refund[data-refund-state=pending]").getByText("Refund −12.00").waitFor();
      await productButton(page, "Ceramic mug").getByText(`Stock ${mug.stock - 1}`).waitFor();
      await page.screenshot({ path: path.join(ARTIFACTS, "pos-app-offline-day.png"), fullPage: true });

      await context.setOffline(false);
      await connection(page).getByText("Online").waitFor();
      await row.locator("li.sale-refund[data-refund-state=synced]").waitFor({ timeout: 30_000 });
      await page.locator("li.sale[data-state=synced][data-receipt=T01-000001]").waitFor();

      const [sale] = await h.server.dataSource.query<{ id: string; customer: string | null }[]>(
        `SELECT s.id, c.name AS customer FROM sales s LEFT JOIN customers c ON c.shop_id = s.shop_id AND c.id = s.customer_id WHERE s.shop_id = $1`,
        [shop.shopId],
      );
      expect(sale.customer).toBe("Grace Hopper");
      const refunds = await h.server.dataSource.query<{ sale_id: string | null }[]>(`SELECT sale_id FROM refunds WHERE shop_id = $1`, [shop.shopId]);
      expect(refunds).toEqual([{ sale_id: sale.id }]);
      expect(await stockOf(h.server.dataSource, shop.shopId, mug.id)).toBe(mug.stock - 1);
    });
  });
});
