import { execFile } from "node:child_process";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { type ServerProcess, databaseEnv, spawnServer } from "../support/server-process";

/**
 * A production deployment from nothing, as an operator does it: `shop add`, `user add` (password
 * on stdin), `member add`, then the production server on the same database: the owner signs in
 * and pairs a till. No demo data, no token printed anywhere.
 */
const ROOT = resolve(__dirname, "../..");
const CLI = join(ROOT, "server/dist/cli/main.js");
const SECRET = "a-production-secret-of-enough-length";

function cli(env: NodeJS.ProcessEnv, args: string[], stdin?: string): Promise<string> {
  return new Promise((resolveOut, reject) => {
    const child = execFile("node", [CLI, ...args], { env }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolveOut(stdout)));
    child.stdin?.end(stdin ?? "");
  });
}

let server: ServerProcess | undefined;
afterAll(() => server?.child.kill("SIGTERM"));

describe("a production deployment set up with the CLI", () => {
  it("creates a shop, its owner with a password from stdin and their membership; the production server then signs the owner in and pairs a till", async () => {
    const db = databaseEnv();
    const env = { PATH: process.env.PATH, NODE_ENV: "production", JWT_SECRET: SECRET, ...db };
    const shop = JSON.parse(await cli(env, ["shop", "add", "--name", "  Corner Café  "])) as { id: string; name: string };
    expect(shop.name).toBe("Corner Café");
    const password = "a long enough owner password";
    // Unique per run: the same database may have been set up by an earlier run.
    const email = `owner-${Date.now().toString(36)}@corner.example`;
    const user = JSON.parse(await cli(env, ["user", "add", "--email", email.replace("owner-", "Owner-"), "--name", "Olga Owner"], `${password}\n`)) as { id: string; email: string };
    expect(user.email).toBe(email);
    expect(JSON.parse(await cli(env, ["member", "add", "--shop", shop.id, "--user", email, "--role", "owner"]))).toEqual({ shopId: shop.id, shopName: "Corner Café", role: "owner" });
    await expect(cli(env, ["shop", "add"])).rejects.toThrow(/shop add: --name is required/);
    await expect(cli(env, ["member", "add", "--shop", shop.id, "--user", user.id, "--role", "till"])).rejects.toThrow(/role/);

    server = await spawnServer(db, { NODE_ENV: "production", JWT_SECRET: SECRET, SEED_DEMO: "auto" });
    const login = await fetch(`${server.url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) });
    expect(login.status).toBe(200);
    const session = (await login.json()) as { accessToken: string; memberships: { shopId: string; role: string }[] };
    expect(session.memberships).toEqual([{ shopId: shop.id, shopName: "Corner Café", role: "owner" }]);
    const pairing = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${session.accessToken}`, "x-shop-id": shop.id },
      body: JSON.stringify({ query: `mutation { createTillPairing(name: "Front") { code till { code } } }` }),
    });
    const { data } = (await pairing.json()) as { data: { createTillPairing: { code: string; till: { code: string } } } };
    expect(data.createTillPairing.till.code).toBe("T01");
    const paired = await fetch(`${server.url}/api/tills/pair`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: data.createTillPairing.code }) });
    expect(paired.status).toBe(200);
    // Production seeds nothing and prints no token.
    expect(server.output()).not.toMatch(/demo cashier token|Demo Coffee Shop/);
  }, 90_000);
});
