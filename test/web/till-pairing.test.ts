import * as path from "node:path";
import type { Page } from "playwright-core";
import { countRows } from "../support/database";
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

/** Pairing, cashiers by PIN and the manager's Tills screen, in Debian's Chromium against the real server. */
let h: WebHarness;

beforeAll(async () => {
  h = await startWebHarness();
}, 120_000);

afterAll(() => stopWebHarness(h));

async function salesOf(shopId: string) {
  return h.server.dataSource.query<{ staff_id: string | null; till_id: string | null }[]>(`SELECT staff_id, till_id FROM sales WHERE shop_id = $1 ORDER BY sold_at`, [shopId]);
}

/** The manager signs in on the Tills screen of this page (from the pairing screen or the till). */
async function managerSignIn(page: Page, manager: Person) {
  await page.getByRole("button", { name: /^Manager/ }).click();
  await page.getByLabel("Email").fill(manager.email.toUpperCase());
  await page.getByLabel("Password").fill(manager.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "This shop's tills" }).waitFor();
}

describe("pairing a till and cashiers on it", () => {
  it("pairs with a code the manager got on the Tills screen, sells as one cashier, switches cashier by PIN, sells again, and the sales show both cashiers", async () => {
    const shop = await h.server.seed();
    const manager = await addPerson(h.server, shop, "manager", "Maria Manager");
    const ana = await addPerson(h.server, shop, "cashier", "Ana Cashier", "2468");
    const ben = await addPerson(h.server, shop, "cashier", "Ben Cashier", "13579");
    await inContext(h, "pair-and-switch", { viewport: TILL_SCREEN }, async (context) => {
      const page = await context.newPage();
      await page.goto(h.server.url);
      await managerSignIn(page, manager);
      await page.getByLabel("Till name").fill("Front counter");
      await page.getByRole("button", { name: "Get a pairing code" }).click();
      await page.getByTestId("pairing-code").waitFor();
      await page.screenshot({ path: path.join(ARTIFACTS, "pos-app-tills.png"), fullPage: true });
      const code = (await page.getByTestId("pairing-code").textContent()) ?? "";
      expect(code).toMatch(/^[A-Z0-9]{8}$/);
      await page.locator("tr[data-till-code=T01]").getByText("waiting for its code").waitFor();
      await page.getByRole("button", { name: "Sign out and leave" }).click();

      await pairInPage(page, `${code.slice(0, 4).toLowerCase()}-${code.slice(4)}`);
      await pickCashier(page, ana);
      await ringUp(page, [{ name: "Ceramic mug", quantity: 1 }]);
      await page.getByRole("button", { name: "Switch cashier" }).click();
      await pickCashier(page, ben);
      await ringUp(page, [{ name: "Oat milk 1l", quantity: 2 }]);

      await expectSales(page, "synced", 2);
      await page.locator("li.sale .cashier-name").getByText("Ana Cashier").waitFor();
      await page.locator("li.sale .cashier-name").getByText("Ben Cashier").waitFor();
      await page.screenshot({ path: path.join(ARTIFACTS, "pos-app-cashiers.png"), fullPage: true });
      const [till] = await h.server.dataSource.query<{ id: string }[]>(`SELECT id FROM tills WHERE shop_id = $1 AND code = 'T01'`, [shop.shopId]);
      expect(await salesOf(shop.shopId)).toEqual([
        { staff_id: ana.id, till_id: till.id },
        { staff_id: ben.id, till_id: till.id },
      ]);

      // Kept in IndexedDB, never localStorage: a reload reopens the till with Ben still selling.
      expect(await page.evaluate(() => localStorage.length)).toBe(0);
      await page.reload();
      await page.getByTestId("cashier").getByText("Ben Cashier").waitFor();
      await expectSales(page, "synced", 2);
    });
  });

  it("locks the PIN pad for a minute after five wrong PINs, also across a reload, and never sends a PIN to the server", async () => {
    const shop = await h.server.seed();
    const ana = await addPerson(h.server, shop, "cashier", "Ana Cashier", "2468");
    const { code } = await pairingCode(h.server, shop);
    await inContext(h, "pin-lock", { viewport: TILL_SCREEN }, async (context) => {
      const page = await context.newPage();
      const bodies: string[] = [];
      page.on("request", (request) => bodies.push(request.postData() ?? ""));
      await page.goto(h.server.url);
      await pairInPage(page, code);
      await page.getByRole("button", { name: /^Ana Cashier/ }).click();
      for (let attempt = 1; attempt <= 4; attempt++) {
        await page.getByLabel("PIN", { exact: true }).fill("1111");
        await page.getByRole("button", { name: "OK" }).click();
        await page.getByText(`${5 - attempt} more wrong and the pad locks for a minute.`).waitFor();
      }
      await page.getByLabel("PIN", { exact: true }).fill("1111");
      await page.getByRole("button", { name: "OK" }).click();
      await page.getByTestId("pin-locked").waitFor();
      await expect(page.getByLabel("PIN", { exact: true }).isDisabled()).resolves.toBe(true);

      await page.reload();
      await page.getByRole("button", { name: /^Ana Cashier/ }).click();
      await page.getByTestId("pin-locked").getByText(/Try again in \d+ s/).waitFor();
      await expect(page.getByLabel("PIN", { exact: true }).isDisabled()).resolves.toBe(true);
      expect(bodies.some((b) => b.includes("1111") || b.includes("2468"))).toBe(false);
    });
  });

  it("keeps a revoked till's sales and sends them once it is paired again with a new code; the manager revokes it on the Tills screen", async () => {
    const shop = await h.server.seed();
    const manager = await addPerson(h.server, shop, "manager", "Maria Manager");
    const ana = await addPerson(h.server, shop, "cashier", "Ana Cashier", "2468");
    const first = await pairingCode(h.server, shop, "Back counter");
    await inContext(h, "revoked", { viewport: TILL_SCREEN, serviceWorkers: "block" }, async (context) => {
      const till = await context.newPage();
      await till.goto(h.server.url);
      await pairInPage(till, first.code);
      await pickCashier(till, ana);
      await ringUp(till, [{ name: "Ceramic mug", quantity: 1 }]);
      await expectSales(till, "synced", 1);

      await inContext(h, "revoked-manager", { viewport: TILL_SCREEN }, async (managerContext) => {
        const office = await managerContext.newPage();
        await office.goto(h.server.url);
        await managerSignIn(office, manager);
        const row = office.locator(`tr[data-till-code=${first.tillCode}]`);
        await row.getByRole("button", { name: "Revoke…" }).click();
        await row.getByRole("button", { name: `Revoke ${first.tillCode} now` }).click();
        await row.getByText(/^Revoked/).waitFor();
      });

      // The till's access token stops working within the membership cache's 5 s; then its
      // refresh is refused too, and the till says so, keeping the sale.
      await till.waitForTimeout(5_500);
      await ringUp(till, [{ name: "Oat milk 1l", quantity: 1 }]);
      await till.getByText("The server no longer accepts this till").waitFor({ timeout: 20_000 });
      await till.locator("li.sale[data-state=pending]").waitFor();
      expect(await countRows(h.server.dataSource, "sales", shop.shopId)).toBe(1);

      const second = await pairingCode(h.server, shop, "Back counter again");
      await till.getByLabel("Pairing code").fill(second.code);
      await till.getByRole("button", { name: "Pair again" }).click();
      await till.getByText("The server no longer accepts this till").waitFor({ state: "detached" });
      await connection(till).getByText("Online").waitFor();
      await till.waitForFunction(() => document.querySelectorAll("li.sale[data-state=synced]").length === 2);
      await productButton(till, "Ceramic mug").waitFor();
      const sales = await salesOf(shop.shopId);
      expect(sales.map((s) => s.till_id)).toEqual([first.tillId, second.tillId]);
    });
  });
});
