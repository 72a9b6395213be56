import { DataSource, MigrationExecutor } from "typeorm";
import { DEFAULT_DATABASE_TIMEOUTS, type DatabaseTimeouts, boundedPoolOptions, setAnswerDeadline } from "./bounded-connection";
import { ENTITIES } from "./entities";
import { openEmbeddedDatabase } from "./embedded-database";
import { MIGRATIONS } from "./migrations";

export type DatabaseTarget =
  | { kind: "server"; url: string; poolSize: number; timeouts?: DatabaseTimeouts }
  | { kind: "embedded"; dataDir: string | "memory"; template?: Blob };

export type Database = {
  dataSource: DataSource;
  kind: DatabaseTarget["kind"];
  /** Human-readable, without credentials, for the startup log. */
  description: string;
  close(): Promise<void>;
  /** The embedded database only: a copy of it, to start another in-memory one from (openDatabase's `template`). */
  dump?(): Promise<Blob>;
};

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  switch (target.kind) {
    case "server": {
      const dataSource = new DataSource({
        type: "postgres",
        url: target.url,
        entities: ENTITIES,
        migrations: MIGRATIONS,
        synchronize: false,
        installExtensions: false,
        poolSize: target.poolSize,
        // The hot path's statements stay unnamed (pg never names them unless asked), so each one
        // gets a custom plan for its unnest() inputs. Do NOT set plan_cache_mode=force_custom_plan
        // for the session: it also re-plans every foreign-key check (RI triggers run cached SPI
        // plans), which made inserting a batch's items about 5x slower.
        extra: { ...boundedPoolOptions(target.timeouts ?? DEFAULT_DATABASE_TIMEOUTS), max: target.poolSize },
      });
      await dataSource.initialize();
      return {
        dataSource,
        kind: "server",
        description: redactUrl(target.url),
        close: async () => {
          if (dataSource.isInitialized) await dataSource.destroy();
        },
      };
    }
    case "embedded": {
      const embedded = await openEmbeddedDatabase(target.dataDir, target.template);
      const dataSource = new DataSource({
        type: "postgres",
        entities: ENTITIES,
        migrations: MIGRATIONS,
        synchronize: false,
        installExtensions: false,
        poolSize: 1,
        extra: embedded.pgConfig,
      });
      await dataSource.initialize();
      return {
        dataSource,
        kind: "embedded",
        description: `embedded PostgreSQL (PGlite) at ${embedded.location}`,
        close: async () => {
          if (dataSource.isInitialized) await dataSource.destroy();
          await embedded.close();
        },
        dump: () => embedded.dump(),
      };
    }
  }
}

/** Any fixed number: the advisory lock that lets one process at a time migrate a shared database. */
const MIGRATION_LOCK = 7_340_551;

const SESSION_BOUNDS = ["statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout"];

/**
 * Applies pending migrations. Replicas starting together on one PostgreSQL take turns behind an
 * advisory lock (the second then finds nothing to apply); the embedded database has one process
 * and one connection, which the lock would hold away from the migrations themselves. On a server,
 * the migrations run on the lock's own session with the statement, lock and answer bounds lifted:
 * a migration may rewrite a large table, and a replica may wait for another's migrations.
 */
export async function migrate(db: Pick<Database, "dataSource" | "kind">): Promise<string[]> {
  if (db.kind === "embedded") return (await db.dataSource.runMigrations({ transaction: "each" })).map((m) => m.name);
  const lock = db.dataSource.createQueryRunner();
  const connection = await lock.connect();
  setAnswerDeadline(connection, false);
  try {
    await lock.query(SESSION_BOUNDS.map((name) => `SET ${name} = 0`).join("; "));
    await lock.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    const executor = new MigrationExecutor(db.dataSource, lock);
    executor.transaction = "each";
    return (await executor.executePendingMigrations()).map((m) => m.name);
  } finally {
    await lock.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    await lock.query(SESSION_BOUNDS.map((name) => `RESET ${name}`).join("; ")).catch(() => undefined);
    setAnswerDeadline(connection, true);
    await lock.release();
  }
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgres (unparseable URL)";
  }
}
