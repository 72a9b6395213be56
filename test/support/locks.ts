import { Client } from "pg";

/**
 * Holds a row lock on a product from a separate session, so a sync touching that product stops
 * mid-transaction at a known point: after its first writes, waiting on the lock. Real PostgreSQL only.
 */
export type ProductLock = { release(): Promise<void>; waitForBlockedBackend(): Promise<number> };

/**
 * `FOR UPDATE` (the default) stops a sync at its sale lines (their foreign-key check); `FOR NO KEY
 * UPDATE` lets the lines through and stops it at the stock update, with the lines written.
 */
export async function lockProduct(
  databaseUrl: string,
  shopId: string,
  productId: string,
  mode: "FOR UPDATE" | "FOR NO KEY UPDATE" = "FOR UPDATE",
): Promise<ProductLock> {
  const holder = new Client({ connectionString: databaseUrl });
  await holder.connect();
  await holder.query("BEGIN");
  await holder.query(`SELECT 1 FROM products WHERE shop_id = $1 AND id = $2 ${mode}`, [shopId, productId]);
  const holderPid = (await holder.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0].pid;
  return {
    async release() {
      await holder.query("ROLLBACK").catch(() => undefined);
      await holder.end();
    },
    /** The pid of the backend that waits on our lock, once one does. */
    async waitForBlockedBackend() {
      for (let i = 0; i < 300; i++) {
        const rows = (
          await holder.query<{ pid: number }>(
            "SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))",
            [holderPid],
          )
        ).rows;
        if (rows.length > 0) return rows[0].pid;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error("no backend blocked on the product lock within 6 s");
    },
  };
}

export async function terminateBackend(databaseUrl: string, pid: number): Promise<void> {
  const admin = new Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query("SELECT pg_terminate_backend($1)", [pid]);
  } finally {
    await admin.end();
  }
}
