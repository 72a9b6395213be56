import * as path from "node:path";
import type { Page } from "playwright-core";
import {
  ARTIFACTS,
  TILL_SCREEN,
  type Person,
  type WebHarness,
  addPerson,
  connection,
  expectSales,
  inContext,
  pairInPage,
  pairingCode,
  pickCashier,
  productButton,
  ringUp,
  startWebHarness,
  stopWebHarness,
} from "./web-support";

/** Receipt numbers, the printable receipt and the manager's attention list, in Debian's Chromium (issue 10). */
let h: WebHarness;

beforeAll(async () => {
  h = await startWebHarness();
}, 120_000);

afterAll(() => stopWebHarness(h));

async function pairedTill(page: Page, shop: Awaited<ReturnType<WebHarness["server"]["seed"]>>, cashier: Person) {
  const { code } = await pairingCode(h.server, shop);
  await page.goto(h.server.url);
  await pairInPage(page, code);
  await pickCashier(page, cashier);
  await productButton(page, "Ceramic mug").waitFor();
}

describe("receipts on the web till", () => {
  it("shows each offline sale's receipt number at once, prints a receipt with nothing else on the page, and adds the order number once synced", async () => {
    const shop = await h.server.seed();
    const ana = await addPerson(h.server, shop, "cashier", "Ana Cashier", "2468");
    await inContext(h, "receipts", { viewport: TILL_SCREEN }, async (context) => {
      const page = await context.newPage();
      await pairedTill(page, shop, ana);
      await context.setOffline(true);
      await connection(page).getByText("Offline").waitFor();
      await ringUp(page, [{ name: "Ceramic mug", quantity: 1 }]);
      await page.getByText("Receipt T01-000001 recorded (12.00).").waitFor();
      await ringUp(page, [{ name: "Ceramic mug", quantity: 2, discountPercent: 10 }, { name: "Oat milk 1l", quantity: 1 }]);
      await page.getByText(/^Receipt T01-000002 recorded/).waitFor();
      await expectSales(page, "pending", 2);
      await expect(page.locator("li.sale").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-receipt")))).resolves.toEqual(["T01-000002", "T01-000001"]);

      await page.locator("li.sale[data-receipt=T01-000002]").getByRole("button", { name: "Receipt T01-000002" }).click();
      const receipt = page.getByTestId("receipt");
      await receipt.getByText("Till T01 · Front counter").waitFor();
      await receipt.getByText("Served by Ana Cashier").waitFor();
      await receipt.getByText("2 × Ceramic mug").waitFor();
      await receipt.getByText("1 × Oat milk 1l").waitFor();
      await expect(receipt.getByTestId("receipt-number").textContent()).resolves.toBe("T01-000002");
      // 2 x 12.00 less 10% is 21.60, plus 2.49: 24.09; the discount is 2.40.
      await receipt.getByText("24.09").waitFor();
      await receipt.getByText("−2.40").waitFor();
      await receipt.getByText("Order number follows once the till is online.").waitFor();

      await page.emulateMedia({ media: "print" });
      await expect(receipt.isVisible()).resolves.toBe(true);
      await expect(page.getByTestId("connection").isVisible()).resolves.toBe(false);
      await expect(page.getByRole("button", { name: "Print" }).isVisible()).resolves.toBe(false);
      await page.screenshot({ path: path.join(ARTIFACTS, "pos-app-receipt-print.png") });
      await page.emulateMedia({ media: "screen" });
      await page.getByRole("button", { name: "Close" }).click();

      await context.setOffline(false);
      await expectSales(page, "synced", 2);
      await page.locator("li.sale[data-receipt=T01-000002]").getByRole("button", { name: "Receipt T01-000002" }).click();
      await receipt.getByText(/^Order ORD-[A-Z0-9]{6}-[A-Z0-9]{3}$/).waitFor();
    });
  });

  it("puts a rejected sale on the manager's attention list within a minute, with the till's gap, and takes it off once resolved", async () => {
    const shop = await h.server.seed();
    const manager = await addPerson(h.server, shop, "manager", "Maria Manager");
    const ana = await addPerson(h.server, shop, "cashier", "Ana Cashier", "2468");
    const foreign = { __typename: "Product", id: shop.otherShop.productId, name: "Grinder from another shop", sku: "GRD-X", price: 30, stock: 5, lowStockThreshold: 1 };
    await inContext(h, "attention", { viewport: TILL_SCREEN }, async (office) => {
      const manage = await office.newPage();
      await manage.goto(h.server.url);
      await manage.getByRole("button", { name: "Manager sign-in" }).click();
      await manage.getByLabel("Email").fill(manager.email);
      await manage.getByLabel("Password").fill(manager.password);
      await manage.getByRole("button", { name: "Sign in" }).click();
      await manage.getByText("Nothing needs attention.").waitFor();

      await inContext(h, "attention-till", { viewport: TILL_SCREEN, serviceWorkers: "block" }, async (counter) => {
        // The till's product list also offers another shop's product: the server refuses its sale.
        await counter.route("**/graphql", async (route) => {
          if (route.request().postDataJSON()?.operationName !== "Products") return route.continue();
          const response = await route.fetch();
          const body = (await response.json()) as { data?: { products: unknown[] } };
          body.data?.products.push(foreign);
          await route.fulfill({ response, json: body });
        });
        const till = await counter.newPage();
        await pairedTill(till, shop, ana);
        await ringUp(till, [{ name: "Ceramic mug", quantity: 1 }]);
        await ringUp(till, [{ name: foreign.name, quantity: 1 }]);
        await till.locator("li.sale[data-state=failed]").waitFor();
        await ringUp(till, [{ name: "Ceramic mug", quantity: 1 }]);
        await till.waitForFunction(() => document.querySelectorAll("li.sale[data-state=synced]").length === 2);
        // A products refetch may still be in the route when the till closes.
        await counter.unrouteAll({ behavior: "ignoreErrors" });
      });

      // No reload: the list is polled.
      const item = manage.locator("li.attention-item[data-kind=REJECTION]");
      await item.waitFor({ timeout: 60_000 });
      await item.getByText(/T01/).first().waitFor();
      await manage.locator("tr[data-till-code=T01] li.gap[data-status=REJECTED]").getByText("T01-000002: rejected").waitFor({ timeout: 60_000 });
      await manage.screenshot({ path: path.join(ARTIFACTS, "pos-app-attention.png"), fullPage: true });

      await item.getByRole("button", { name: "Resolve…" }).click();
      await item.getByLabel("What was done").fill("Grinder belongs to the other shop; customer refunded");
      await item.getByRole("button", { name: "Mark resolved" }).click();
      await item.waitFor({ state: "detached" });
      const [resolution] = await h.server.dataSource.query<{ note: string }[]>(`SELECT note FROM attention_resolutions WHERE shop_id = $1`, [shop.shopId]);
      expect(resolution?.note).toBe("Grinder belongs to the other shop; customer refunded");
    });
  });
});
