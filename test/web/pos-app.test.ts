import * as path from "node:path";
import { countRows, stockOf } from "../support/database";
import { ARTIFACTS, TILL_SCREEN, type WebHarness, connection, expectSales, inContext, openTill, product, productButton, ringUp, startWebHarness, stopWebHarness } from "./web-support";
import type { Page } from "playwright-core";

/** The POS web app in Debian's Chromium against the real server: selling offline, rejections, a paused sync. */
let h: WebHarness;
let server: WebHarness["server"];

beforeAll(async () => {
  h = await startWebHarness();
  server = h.server;
}, 120_000);

afterAll(() => stopWebHarness(h));

describe("the POS web app", () => {
  it("keeps selling offline, reopens from the service worker on an offline reload, and syncs every sale exactly once when the network returns", async () => {
    const shop = await server.seed();
    const mug = product(shop, "Ceramic mug");
    await inContext(h, "offline-sync", { viewport: TILL_SCREEN }, async (context) => {
      const page = await openTill(h, context, shop);
      await page.getByText("No sales yet.").waitFor();
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

      await context.setOffline(true);
      await connection(page).getByText("Offline").waitFor();
      await ringUp(page, [{ name: "Ceramic mug", quantity: 2 }, { name: "Oat milk 1l", quantity: 1 }]);
      await ringUp(page, [{ name: "Ceramic mug", quantity: 2, discountPercent: 10 }]);
      await ringUp(page, [{ name: "Espresso beans 1kg", quantity: 1 }]);

      await expectSales(page, "pending", 3);
      await expect(page.getByTestId("pending-count").textContent()).resolves.toBe("3");
      await productButton(page, "Ceramic mug").getByText("Stock -1").waitFor();
      await page.screenshot({ path: path.join(ARTIFACTS, "pos-app-offline.png"), fullPage: true });

      // The client persists its Apollo cache debounced (1 s after the last write); the outbox is
      // written before recordSale resolves. A till reloaded later than that finds both.
      await persistedCacheHolds(page, await page.locator("li.sale").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-client-temp-id")!)));
      const pageRequestsBefore = await pageRequestsServed();
      expect(pageRequestsBefore).toBeGreaterThan(0);
      const reload = await page.reload();
      expect(reload?.fromServiceWorker()).toBe(true);
      await connection(page).getByText("Offline").waitFor();
      await expectSales(page, "pending", 3);
      expect(await countRows(server.dataSource, "sales", shop.shopId)).toBe(0);
      // Nothing of the app reached the server: the worker answered from its cache.
      expect(await pageRequestsServed()).toBe(pageRequestsBefore);

      await context.setOffline(false);
      await connection(page).getByText("Online").waitFor();
      await expectSales(page, "synced", 3);
      const orderIds = await page.locator("li.sale .order-id").allTextContents();
      expect(orderIds).toHaveLength(3);
      for (const orderId of orderIds) expect(orderId).toMatch(/^ORD-[A-Z0-9]{6}-[A-Z0-9]{3}$/);
      expect(new Set(orderIds).size).toBe(3);
      await expect(page.getByTestId("pending-count").textContent()).resolves.toBe("0");

      expect(await countRows(server.dataSource, "sales", shop.shopId)).toBe(3);
      expect(await stockOf(server.dataSource, shop.shopId, mug.id)).toBe(-1);
      const alerts = page.getByRole("region", { name: "Low stock" });
      await alerts.getByText("Ceramic mug").waitFor();
      await productButton(page, "Ceramic mug").getByText("Stock -1").waitFor();
      await page.screenshot({ path: path.join(ARTIFACTS, "pos-app-synced.png"), fullPage: true });
    });
  });

  it("shows the server's reason for a rejected sale and lets the cashier retry or discard it", async () => {
    const shop = await server.seed();
    // The till's product list also offers another shop's product: the server answers it exactly
    // like an unknown product. The service worker is blocked so page.route sees every request.
    const foreign = { __typename: "Product", id: shop.otherShop.productId, name: "Grinder from another shop", sku: "GRD-X", price: 30, stock: 5, lowStockThreshold: 1 };
    await inContext(h, "rejected-sale", { viewport: TILL_SCREEN, serviceWorkers: "block" }, async (context) => {
      await context.route("**/graphql", async (route) => {
        if (route.request().postDataJSON()?.operationName !== "Products") return route.continue();
        const response = await route.fetch();
        const body = (await response.json()) as { data?: { products: unknown[] } };
        body.data?.products.push(foreign);
        await route.fulfill({ response, json: body });
      });
      const page = await openTill(h, context, shop);
      await ringUp(page, [{ name: foreign.name, quantity: 1 }]);

      const failed = page.locator("li.sale[data-state=failed]");
      await failed.getByText(`Product ${foreign.id} not found`).waitFor();
      await page.locator(".failed-count").getByText("1 failed").waitFor();

      await failed.getByRole("button", { name: "Retry" }).click();
      await failed.getByText(`Product ${foreign.id} not found`).waitFor();

      await failed.getByRole("button", { name: "Discard" }).click();
      await failed.waitFor({ state: "detached" });
      await page.getByText("No sales yet.").waitFor();
      await productButton(page, foreign.name).getByText("Stock 5").waitFor();
      expect(await countRows(server.dataSource, "sales", shop.shopId)).toBe(0);
      // A products refetch may still be in the route when the context closes.
      await context.unrouteAll({ behavior: "ignoreErrors" });
    });
  });

  it("says the sync is paused, with the reason, when the server refuses it while the till is online", async () => {
    const shop = await server.seed();
    await inContext(h, "paused-online", { viewport: TILL_SCREEN, serviceWorkers: "block" }, async (context) => {
      // A proxy in front of the server answers the sync with 404 (a wrong route mid-deploy).
      let refuse = true;
      await context.route("**/graphql", async (route) => {
        if (!refuse || route.request().postDataJSON()?.operationName !== "SyncOfflineSales") return route.continue();
        await route.fulfill({ status: 404, contentType: "text/plain", body: "Not Found" });
      });
      const page = await openTill(h, context, shop);
      await ringUp(page, [{ name: "Ceramic mug", quantity: 1 }]);

      const paused = page.getByTestId("last-error");
      await paused.getByText(/^Sync paused: .*404/).waitFor();
      await connection(page).getByText("Online").waitFor();
      await expectSales(page, "pending", 1);

      refuse = false;
      await page.getByRole("button", { name: "Sync now" }).click();
      await expectSales(page, "synced", 1);
      await paused.waitFor({ state: "detached" });
      expect(await countRows(server.dataSource, "sales", shop.shopId)).toBe(1);
      await context.unrouteAll({ behavior: "ignoreErrors" });
    });
  });
});

/** Requests for the app's files the server answered (its own metrics, read from the test process). */
async function pageRequestsServed(): Promise<number> {
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  return [...metrics.matchAll(/^possync_http_request_duration_seconds_count\{route="other",method="GET",[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
}

/** Waits until the Apollo cache persisted in IndexedDB holds these sales (read from the page). */
async function persistedCacheHolds(page: Page, clientTempIds: string[]) {
  expect(clientTempIds.length).toBeGreaterThan(0);
  const holds = () =>
    page.evaluate(async (ids) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open("pos-sync");
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      try {
        const values = await new Promise<unknown[]>((resolve, reject) => {
          const all = db.transaction("kv").objectStore("kv").getAll();
          all.onsuccess = () => resolve(all.result);
          all.onerror = () => reject(all.error);
        });
        const cache = values.find((v): v is string => typeof v === "string" && v.includes('"ROOT_QUERY"'));
        return !!cache && ids.every((id) => cache.includes(`"Sale:${id}"`));
      } finally {
        db.close();
      }
    }, clientTempIds);
  const deadline = Date.now() + 15_000;
  while (!(await holds())) {
    if (Date.now() > deadline) throw new Error("the Apollo cache was not persisted with the pending sales");
    await page.waitForTimeout(200);
  }
}

