import type { DataSource, EntityManager, QueryRunner } from "typeorm";

/**
 * A unit of work's handle: the TypeORM manager for entity reads/writes and `sql` for set-based
 * statements on the same connection, so both see and commit the same transaction.
 */
export type Tx = {
  manager: EntityManager;
  /**
   * `name`, for a statement sent on every request: PostgreSQL parses and plans it once per
   * connection instead of on every call (the same text must always carry the same name).
   */
  sql<Row = Record<string, unknown>>(text: string, params?: unknown[], name?: string): Promise<Row[]>;
};

/** One statement's runner: a transaction's `tx.sql`, or autocommitSql (each statement its own transaction). */
export type Sql = Tx["sql"];

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

/** Node's codes for a socket that failed or never connected (name resolution included). */
const SOCKET_ERROR_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "ENETRESET",
  "ENOTCONN",
]);

/** Besides class 08 (connection exception): see isConnectionError. */
const UNAVAILABLE_SQLSTATES = new Set([
  "57P01", // admin_shutdown (also pg_terminate_backend)
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, shutting down, in recovery)
  "57P04", // database_dropped
  "57P05", // idle_session_timeout
  "25P03", // idle_in_transaction_session_timeout ended the session
  "53300", // too_many_connections
  "55P03", // lock_not_available: lock_timeout
  "57014", // query_canceled: statement_timeout
]);

/**
 * pg's and pg-pool's own words (they carry no code): a socket closed under a query ("Connection
 * terminated unexpectedly", "... due to connection timeout", our answer deadline), a connect or
 * pool wait that timed out, a client already broken, a pool already ended by shutdown.
 */
const DRIVER_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|^timeout expired$|Client has encountered a connection error|not queryable|Cannot use a pool after calling end/i;

/**
 * The database could not serve this transaction at all, so the transaction is lost as a whole and
 * the caller must not try to salvage parts of it: the request is answered 503 and retried later.
 * That is a connection that failed, was refused or timed out (Node socket codes, pg's connection
 * messages, pool waits), SQLSTATE class 08, the server shutting down, restarting or ending the
 * session (57P01-57P05, 25P03), and a wait that hit its bound: lock_timeout (55P03) or
 * statement_timeout (57014). A timed-out wait is not about any one sale: writing the batch sale by
 * sale would only wait again for each.
 */
export function isConnectionError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (isConnectionFailure(e)) return true;
    // TypeORM's driverError, an Error's cause, graphql's wrapper of a thrown non-Error value.
    const next = e as { driverError?: unknown; cause?: unknown; thrownValue?: unknown; errors?: unknown[] };
    if (Array.isArray(next.errors) && next.errors.some(isConnectionFailure)) return true;
    e = next.driverError ?? next.cause ?? next.thrownValue;
  }
  return false;
}

function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === "string") {
    if (SOCKET_ERROR_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code)) return code.startsWith("08") || UNAVAILABLE_SQLSTATES.has(code);
  }
  return DRIVER_MESSAGES.test(String((error as { message?: unknown })?.message ?? ""));
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

/**
 * Statements outside any transaction: each is its own unit of work (one round trip, its own
 * commit), for a read that needs no transaction or a write that is one statement.
 */
export function autocommitSql(dataSource: DataSource): Sql {
  return async <Row>(text: string, params?: unknown[], name?: string) => {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      return await txOf(runner).sql<Row>(text, params, name);
    } finally {
      await runner.release();
    }
  };
}

function txOf(runner: QueryRunner): Tx {
  return {
    manager: runner.manager,
    sql: async <Row>(text: string, params?: unknown[], name?: string) => {
      if (name) return namedQuery<Row>(await runner.connect(), name, text, params);
      const result = await runner.query(text, params, true);
      return (result.records ?? []) as Row[];
    },
  };
}

type PgConnection = { query(config: { name: string; text: string; values?: unknown[] }): Promise<{ rows: unknown[] }> };

/** On the runner's own pg connection (the embedded database speaks the same protocol), so errors keep pg's SQLSTATE and constraint. */
async function namedQuery<Row>(connection: unknown, name: string, text: string, values?: unknown[]): Promise<Row[]> {
  return (await (connection as PgConnection).query({ name, text, values })).rows as Row[];
}
