import { randomUUID } from "node:crypto";
import type { MemberRole } from "../../server/src/auth/permissions";
import type { SeededShops } from "../../server/src/demo/seed";
import type { TestServer } from "../support/test-server";
import { type Headers, authHeaders, gql } from "../support/transports";

/** Helpers for the sign-in tests: JSON posts to the auth routes, users with passwords, paired tills. */
export type JsonAnswer<T = Record<string, unknown>> = { status: number; headers: globalThis.Headers; body: T };

export async function postJson<T = Record<string, unknown>>(url: string, path: string, body: unknown, headers: Headers = {}): Promise<JsonAnswer<T>> {
  const res = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as T };
}

export type LoginBody = {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: { id: string; email: string; name: string };
  memberships: { shopId: string; shopName: string; role: string }[];
  error?: string;
  code?: string;
};

export type TokenBody = { accessToken: string; refreshToken: string; expiresIn: number; error?: string; code?: string };

export type PairBody = TokenBody & { till: { id: string; code: string; name: string; shopId: string; shopName: string } };

export const PASSWORD = "correct horse battery staple";

/** A user with a password and a role in the shop, created as the CLI does. */
export async function addUser(t: TestServer, shopId: string, role: MemberRole, password = PASSWORD) {
  const email = `${role}-${randomUUID().slice(0, 8)}@Example.com`;
  const user = await t.server.services.accounts.addUser({ email, name: `Test ${role}`, password });
  await t.server.services.accounts.addMember(shopId, user.id, role);
  return { ...user, password, typedEmail: email };
}

export function login(t: TestServer, email: string, password: string) {
  return postJson<LoginBody>(t.url, "/api/auth/login", { email, password });
}

export function refresh(t: TestServer, refreshToken: string) {
  return postJson<TokenBody>(t.url, "/api/auth/refresh", { refreshToken });
}

export const CREATE_PAIRING = `mutation($name: String!) { createTillPairing(name: $name) { code expiresAt till { id code name pairedAt } } }`;

type Pairing = { code: string; expiresAt: string; till: { id: string; code: string; name: string; pairedAt: string | null } };

/** A pairing code made by the shop's owner (a manager's permission). */
export async function createPairing(t: TestServer, shop: SeededShops, name = "Front counter"): Promise<Pairing> {
  const res = await gql<{ createTillPairing: Pairing }>(t.url, authHeaders(shop.tokens.owner, shop.shopId), CREATE_PAIRING, { name });
  if (!res.data) throw new Error(`createTillPairing failed: ${JSON.stringify(res.errors)}`);
  return res.data.createTillPairing;
}

export function pair(t: TestServer, code: string) {
  return postJson<PairBody>(t.url, "/api/tills/pair", { code });
}

/** A paired till of the shop: its pairing answer and the headers its requests carry. */
export async function pairedTill(t: TestServer, shop: SeededShops, name?: string) {
  const pairing = await createPairing(t, shop, name);
  const answer = await pair(t, pairing.code);
  if (answer.status !== 200) throw new Error(`pairing failed: ${JSON.stringify(answer.body)}`);
  return { ...answer.body, headers: authHeaders(answer.body.accessToken, shop.shopId) };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
