import { randomUUID } from "node:crypto";
import type { Tx } from "../db/transaction";
import { type EntityOutcome, type StoredEntity, answerEntityReplay } from "./entity-outcome";
import type { PreparedCustomer } from "./offline-customer";

type StoredRow = { client_temp_id: string; id: string; fingerprint: string | null };

/**
 * Customers created offline, set-based inside the request's transaction, first (a sale of the same
 * request may name one by its temp id). Idempotency is the (shop_id, client_temp_id) unique key:
 * stored ids are replays (replay rule), the rest are inserted with ON CONFLICT DO NOTHING in id
 * order, and a conflict lost to a concurrent writer is answered from the winner's row.
 * `customers` must not repeat a clientTempId (the service resolves in-request duplicates).
 */
export async function writeCustomers(tx: Tx, shopId: string, customers: PreparedCustomer[]): Promise<EntityOutcome[]> {
  const outcomes = new Array<EntityOutcome>(customers.length);
  if (customers.length === 0) return outcomes;
  const stored = await storedCustomers(tx, shopId, customers.map((c) => c.clientTempId));
  const fresh: { index: number; customer: PreparedCustomer; id: string }[] = [];
  customers.forEach((customer, index) => {
    const original = stored.get(customer.clientTempId);
    if (original) outcomes[index] = answerEntityReplay("customer", customer.clientTempId, customer.fingerprint, original);
    else fresh.push({ index, customer, id: randomUUID() });
  });
  if (fresh.length === 0) return outcomes;
  const inserted = await tx.sql<{ client_temp_id: string }>(
    `INSERT INTO customers (shop_id, id, client_temp_id, name, email, phone, created_at, fingerprint)
     SELECT $1, c.id, c.client_temp_id, c.name, c.email, c.phone, c.created_at, c.fingerprint
       FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[])
         AS c(id, client_temp_id, name, email, phone, created_at, fingerprint)
      ORDER BY c.client_temp_id
     ON CONFLICT (shop_id, client_temp_id) DO NOTHING
     RETURNING client_temp_id::text AS client_temp_id`,
    [
      shopId,
      fresh.map((f) => f.id),
      fresh.map((f) => f.customer.clientTempId),
      fresh.map((f) => f.customer.name),
      fresh.map((f) => f.customer.email),
      fresh.map((f) => f.customer.phone),
      fresh.map((f) => f.customer.createdAt),
      fresh.map((f) => f.customer.fingerprint),
    ],
  );
  const won = new Set(inserted.map((r) => r.client_temp_id));
  const raced = fresh.filter((f) => !won.has(f.customer.clientTempId));
  const winners = raced.length > 0 ? await storedCustomers(tx, shopId, raced.map((f) => f.customer.clientTempId)) : new Map<string, StoredEntity>();
  for (const { index, customer, id } of fresh) {
    if (won.has(customer.clientTempId)) {
      outcomes[index] = { kind: "synced", clientTempId: customer.clientTempId, serverId: id, status: "created", warnings: [] };
      continue;
    }
    const winner = winners.get(customer.clientTempId);
    if (!winner) throw new Error(`customer ${customer.clientTempId} conflicted but cannot be read`);
    outcomes[index] = answerEntityReplay("customer", customer.clientTempId, customer.fingerprint, winner);
  }
  return outcomes;
}

async function storedCustomers(tx: Tx, shopId: string, clientTempIds: string[]): Promise<Map<string, StoredEntity>> {
  const rows = await tx.sql<StoredRow>(
    `SELECT client_temp_id::text AS client_temp_id, id::text AS id, fingerprint
       FROM customers WHERE shop_id = $1 AND client_temp_id = ANY($2::uuid[])`,
    [shopId, clientTempIds],
  );
  return new Map(rows.map((r) => [r.client_temp_id, { clientTempId: r.client_temp_id, serverId: r.id, fingerprint: r.fingerprint ?? "" }]));
}
