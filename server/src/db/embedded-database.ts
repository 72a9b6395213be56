import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { createPgConfig } from "@electric-sql/pglite/node-postgres";

/**
 * The embedded default: PGlite behind its own node-postgres adapter, so TypeORM and the hot-path
 * SQL go through exactly the same `pg` code as against a real server. PGlite is a single session:
 * the pool is fixed at one connection, which serialises transactions (a second one waits for the
 * first to release the connection instead of interleaving with it).
 */
export type EmbeddedDatabase = {
  pgConfig: Record<string, unknown>;
  close(): Promise<void>;
  location: string;
  /** The whole database as PGlite's data-directory tarball (`template` of openEmbeddedDatabase). */
  dump(): Promise<Blob>;
};

/**
 * `template`, for an in-memory database only: start from a dump instead of an empty cluster
 * (PGlite's initdb is most of its 4-5 s start; loading a dump takes about 0.5 s).
 */
export async function openEmbeddedDatabase(dataDir: string | "memory", template?: Blob): Promise<EmbeddedDatabase> {
  let location = "memory://";
  if (dataDir !== "memory") {
    location = resolve(dataDir, "pglite");
    // PGlite does not create parent directories itself.
    mkdirSync(location, { recursive: true });
  }
  const pglite = location === "memory://" ? await PGlite.create(template ? { loadDataDir: template } : undefined) : await PGlite.create(location);
  const config = createPgConfig(pglite);
  return {
    pgConfig: { ...config, max: 1 },
    location,
    close: async () => {
      if (!pglite.closed) await pglite.close();
    },
    dump: () => pglite.dumpDataDir("none") as Promise<Blob>,
  };
}
