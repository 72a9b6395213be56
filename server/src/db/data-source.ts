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

export async function migrate(dataSource: DataSource): Promise<string[]> {
  const applied = await dataSource.runMigrations({ transaction: "each" });
  return applied.map((m) => m.name);
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
