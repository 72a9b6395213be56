import type { DataSource, EntityManager, QueryRunner } from "typeorm";

/**
 * A unit of work's handle: the TypeORM manager for entity reads/writes and `sql` for set-based
 * statements on the same connection, so both see and commit the same transaction.
 */
export type Tx = {
  manager: EntityManager;
  sql<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
};

const RETRYABLE_SQLSTATES = new Set(["40001", "40P01"]); // serialization failure, deadlock
const MAX_ATTEMPTS = 5;

export function sqlStateOf(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === "string" ? code : undefined;
}

export function constraintOf(error: unknown): string | undefined {
  const e = error as { constraint?: unknown; driverError?: { constraint?: unknown } };
  const c = e?.driverError?.constraint ?? e?.constraint;
  return typeof c === "string" ? c : undefined;
}

/**
 * The connection itself failed (server shut down, backend terminated, network gone): the
 * transaction is lost as a whole, so the caller must not try to salvage parts of it.
 */
export function isConnectionError(error: unknown): boolean {
  const state = sqlStateOf(error);
  if (state) return state.startsWith("08") || state === "57P01" || state === "57P02" || state === "57P03";
  const message = String((error as { message?: unknown })?.message ?? "");
  return /Connection terminated|ECONNREFUSED|ECONNRESET|Client has encountered a connection error|not queryable/i.test(message);
}

/**
 * The one place transactions are opened. Retries only on serialization failures and deadlocks,
 * always after the rollback, with a small jittered pause so the contenders do not collide again.
 */
export async function inTransaction<T>(dataSource: DataSource, work: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const result = await work(txOf(runner));
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      const state = sqlStateOf(error);
      if (state && RETRYABLE_SQLSTATES.has(state) && attempt < MAX_ATTEMPTS) {
        await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
        continue;
      }
      throw error;
    } finally {
      await runner.release();
    }
  }
}

function txOf(runner: QueryRunner): Tx {
  return {
    manager: runner.manager,
    sql: async <Row>(text: string, params?: unknown[]) => {
      const result = await runner.query(text, params, true);
      return (result.records ?? []) as Row[];
    },
  };
}
