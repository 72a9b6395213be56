import type { Socket } from "node:net";
import { Client, type ClientConfig } from "pg";

/**
 * Every wait on the way to PostgreSQL has a bound, so a database that is down, overloaded or cut
 * off by the network costs a request seconds, not the TCP timeout (minutes to hours). All in ms.
 */
export type DatabaseTimeouts = {
  /** Opening one connection: TCP, TLS and the startup handshake. */
  connectMs: number;
  /** Getting a connection from the pool: waiting for a free one, or for a new one to open. */
  acquireMs: number;
  /** One statement, enforced by the server (`statement_timeout`). */
  statementMs: number;
  /** One lock wait, enforced by the server (`lock_timeout`). */
  lockMs: number;
  /**
   * A session idle inside an open transaction is ended by the server, releasing its locks
   * (`idle_in_transaction_session_timeout`). Shorter than `lockMs`: a server cut off mid-transaction
   * loses its locks before the other servers' lock waits give up.
   */
  idleInTransactionMs: number;
  /** TCP keepalive is on; its first probe goes out after this much silence. */
  keepAliveDelayMs: number;
};

export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = {
  connectMs: 3_000,
  acquireMs: 5_000,
  statementMs: 10_000,
  lockMs: 5_000,
  idleInTransactionMs: 3_000,
  keepAliveDelayMs: 10_000,
};

/**
 * How long past `statement_timeout` the client waits for an answer before it presumes the
 * connection dead. Needed because nothing else notices a connection whose bytes stop (a partition,
 * a middlebox that keeps the TCP session alive): keepalive sees a live peer, the server's timeouts
 * end its session but their answer never arrives.
 */
export const ANSWER_GRACE_MS = 2_000;

/** The pg pool options (TypeORM passes them through `extra`) that put every bound in place. */
export function boundedPoolOptions(timeouts: DatabaseTimeouts): Record<string, unknown> {
  return {
    // pg-pool applies this to the wait for a pooled connection and to opening a new one; the
    // client class below bounds one connection attempt more tightly with connectMs.
    connectionTimeoutMillis: timeouts.acquireMs,
    // Sent in the startup packet, so they hold for every session from its first statement.
    statement_timeout: timeouts.statementMs,
    lock_timeout: timeouts.lockMs,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: timeouts.keepAliveDelayMs,
    Client: boundedClientClass(timeouts.connectMs, timeouts.statementMs + ANSWER_GRACE_MS),
  };
}

const exempt = new WeakSet<object>();

/** For the migration session only: a migration may legitimately run longer than any statement bound. */
export function setAnswerDeadline(connection: unknown, on: boolean): void {
  if (typeof connection !== "object" || connection === null) return;
  if (on) exempt.delete(connection);
  else exempt.add(connection);
}

/**
 * pg's Client whose every query has an answer deadline. pg's own `query_timeout` is not enough: it
 * fails the query but leaves the connection waiting for that answer, so the pool would hand the
 * stuck connection to the next request. Here the deadline destroys the socket, which fails every
 * query queued on it and makes the pool drop the connection.
 */
function boundedClientClass(connectMs: number, answerMs: number): typeof Client {
  return class BoundedClient extends Client {
    constructor(config?: ClientConfig) {
      super({ ...config, connectionTimeoutMillis: connectMs });
      const query = this.query.bind(this) as (...args: unknown[]) => unknown;
      const bounded = (...args: unknown[]): unknown => {
        const pending = query(...args);
        if (!(pending instanceof Promise) || exempt.has(this)) return pending;
        const timer = setTimeout(() => this.abandon(answerMs), answerMs);
        return pending.finally(() => clearTimeout(timer));
      };
      (this as { query: unknown }).query = bounded;
    }

    private abandon(ms: number): void {
      const stream = (this as unknown as { connection?: { stream?: Socket } }).connection?.stream;
      stream?.destroy(new Error(`Connection terminated: the database did not answer within ${ms} ms`));
    }
  };
}
