import { DataSource } from "typeorm";
import { ENTITIES } from "./entities";
import { openEmbeddedDatabase } from "./embedded-database";
import { MIGRATIONS } from "./migrations";

export type DatabaseTarget =
  | { kind: "server"; url: string; poolSize: number }
  | { kind: "embedded"; dataDir: string | "memory" };

export type Database = {
  dataSource: DataSource;
  kind: DatabaseTarget["kind"];
  /** Human-readable, without credentials, for the startup log. */
  description: string;
  close(): Promise<void>;
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
        extra: { max: target.poolSize },
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
      const embedded = await openEmbeddedDatabase(target.dataDir);
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
      };
    }
  }
}

/** Any fixed number: the advisory lock that lets one process at a time migrate a shared database. */
const MIGRATION_LOCK = 7_340_551;

/**
 * Applies pending migrations. Replicas starting together on one PostgreSQL take turns behind an
 * advisory lock (the second then finds nothing to apply); the embedded database has one process
 * and one connection, which the lock would hold away from the migrations themselves.
 */
export async function migrate(db: Pick<Database, "dataSource" | "kind">): Promise<string[]> {
  const run = async () => (await db.dataSource.runMigrations({ transaction: "each" })).map((m) => m.name);
  if (db.kind === "embedded") return run();
  const lock = db.dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    return await run();
  } finally {
    await lock.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
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
