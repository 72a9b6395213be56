import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import * as path from "node:path";
import { promisify } from "node:util";
import { type Browser, type BrowserContext, type BrowserContextOptions, type Page, chromium } from "playwright-core";
import type { SeededShops } from "../../server/src/demo/seed";
import { type TestServer, startTestServer } from "../support/test-server";
import { authHeaders, gql } from "../support/transports";

/**
 * The POS web app in Debian's Chromium (never a downloaded browser), against the real server
 * serving the built app, on the run's database. The app is built before the server starts, so the
 * server mounts it at `/`. Tills are paired the way a shop pairs one: a manager's code typed in.
 */
const ROOT = path.resolve(__dirname, "../..");
export const ARTIFACTS = path.join(ROOT, "test/artifacts");
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
export const TILL_SCREEN = { width: 1366, height: 900 };

export type WebHarness = { server: TestServer; browser: Browser };

export async function startWebHarness(): Promise<WebHarness> {
  // The root script sets NODE_ENV=production (jest's NODE_ENV=test would make a development build).
  await promisify(execFile)("npm", ["run", "--silent", "build:app"], { cwd: ROOT });
  await mkdir(ARTIFACTS, { recursive: true });
  const server = await startTestServer();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
  return { server, browser };
}

export async function stopWebHarness(h: WebHarness | undefined): Promise<void> {
  await h?.browser.close();
  await h?.server.close();
}

/** A fresh browser profile for one test; on failure, a screenshot of each page goes to the artifacts. */
export async function inContext(h: WebHarness, name: string, options: BrowserContextOptions, body: (context: BrowserContext) => Promise<void>) {
  const context = await h.browser.newContext(options);
  try {
    await body(context);
  } catch (error) {
    for (const [i, page] of context.pages().entries()) {
      await page.screenshot({ path: path.join(ARTIFACTS, `pos-app-${name}-failure-${i}.png`), fullPage: true }).catch(() => undefined);
    }
    throw error;
  } finally {
    await context.close();
  }
}

export type Person = { id: string; name: string; email: string; password: string; pin?: string };

/** A member of the shop with a password (as `user add` + `member add` make one) and, for a cashier, a PIN set by the owner. */
export async function addPerson(server: TestServer, shop: SeededShops, role: "manager" | "cashier", name: string, pin?: string): Promise<Person> {
  const email = `${role}-${randomUUID().slice(0, 8)}@example.com`;
  const password = `pass-${randomUUID()}`;
  const user = await server.server.services.accounts.addUser({ email, name, password });
  await server.server.services.accounts.addMember(shop.shopId, user.id, role);
  if (pin) {
    const res = await gql(server.url, authHeaders(shop.tokens.owner, shop.shopId), `mutation($u: ID!, $p: String!) { setStaffPin(userId: $u, pin: $p) { id } }`, { u: user.id, p: pin });
    if (res.errors) throw new Error(`setStaffPin failed: ${JSON.stringify(res.errors)}`);
  }
  return { id: user.id, name, email, password, pin };
}

/** A pairing code for a new till, made with the owner's token (what the Tills screen does). */
export async function pairingCode(server: TestServer, shop: SeededShops, name = "Front counter"): Promise<{ code: string; tillId: string; tillCode: string }> {
  const res = await gql<{ createTillPairing: { code: string; till: { id: string; code: string } } }>(
    server.url,
    authHeaders(shop.tokens.owner, shop.shopId),
    `mutation($n: String!) { createTillPairing(name: $n) { code till { id code } } }`,
    { n: name },
  );
  if (!res.data) throw new Error(`createTillPairing failed: ${JSON.stringify(res.errors)}`);
  return { code: res.data.createTillPairing.code, tillId: res.data.createTillPairing.till.id, tillCode: res.data.createTillPairing.till.code };
}

/** Types the code on the "Pair this till" screen; resolves on the cashier picker. */
export async function pairInPage(page: Page, code: string): Promise<void> {
  await page.getByRole("heading", { name: "Pair this till" }).waitFor();
  await page.getByLabel("Pairing code").fill(code);
  await page.getByRole("button", { name: "Pair this till" }).click();
  await page.getByRole("heading", { name: "Who is selling?" }).waitFor();
}

/** Taps the cashier's name and types the PIN; resolves on the till with them selling. */
export async function pickCashier(page: Page, person: Person, pin = person.pin ?? ""): Promise<void> {
  await page.getByRole("button", { name: new RegExp(`^${person.name}`) }).click();
  await page.getByLabel("PIN", { exact: true }).fill(pin);
  await page.getByRole("button", { name: "OK" }).click();
  await page.getByTestId("cashier").getByText(person.name).waitFor();
}

/** A new till in this profile: paired with a fresh code, the given cashier (or a new one) selling. */
export async function openTill(h: WebHarness, context: BrowserContext, shop: SeededShops, cashier?: Person): Promise<Page> {
  const person = cashier ?? (await addPerson(h.server, shop, "cashier", `Cashier ${randomUUID().slice(0, 4)}`, "4321"));
  const { code } = await pairingCode(h.server, shop);
  const page = await context.newPage();
  await page.goto(h.server.url);
  await pairInPage(page, code);
  await pickCashier(page, person);
  await productButton(page, "Ceramic mug").waitFor();
  return page;
}

export const connection = (page: Page) => page.getByTestId("connection");
export const productButton = (page: Page, name: string) => page.getByRole("button", { name: new RegExp(`^Add ${name},`) });

/** Taps each product into the cart, sets its discount, charges, and waits for the empty cart. */
export async function ringUp(page: Page, lines: { name: string; quantity: number; discountPercent?: number }[]) {
  for (const line of lines) {
    for (let i = 0; i < line.quantity; i++) await productButton(page, line.name).click();
    if (line.discountPercent) await page.getByLabel(`Discount % on ${line.name}`).fill(String(line.discountPercent));
  }
  await page.getByRole("button", { name: /^Charge / }).click();
  await page.getByRole("group", { name: "Payment" }).getByRole("button", { name: "Card" }).click();
  await page.getByText("Tap a product to add it.").waitFor();
}

export async function expectSales(page: Page, state: string, count: number) {
  await page.waitForFunction(
    ([s, n]) => document.querySelectorAll(`li.sale[data-state=${s}]`).length === n && document.querySelectorAll("li.sale").length === n,
    [state, count] as const,
  );
}

export function product(shop: SeededShops, name: string) {
  const found = shop.products.find((p) => p.name === name);
  if (!found) throw new Error(`no seeded product ${name}`);
  return found;
}
