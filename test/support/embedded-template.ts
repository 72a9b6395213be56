import "reflect-metadata";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { migrate, openDatabase } from "../../server/src/db/data-source";

/**
 * Jest's globalSetup for a run on the embedded database: one in-memory PGlite, migrated, dumped
 * to a file that every test file's server starts from (test-server.ts). PGlite's initdb is most of
 * its 4-5 s start, paid once per run instead of once per test file. The dump is made from this
 * tree's migrations on every run, so it can never be stale; globalTeardown removes it.
 */
export const TEMPLATE_ENV = "POSSYNC_TEST_PGLITE_TEMPLATE";
/** The same, as a data directory on disk, for servers started as their own process (server-process.ts). */
export const TEMPLATE_DIR_ENV = "POSSYNC_TEST_PGLITE_DIR_TEMPLATE";

export default async function createEmbeddedTemplate(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  const root = mkdtempSync(join(tmpdir(), "possync-pglite-"));
  // A data directory as the production server keeps one (DATA_DIR/pglite), closed cleanly.
  const db = await openDatabase({ kind: "embedded", dataDir: join(root, "disk") });
  try {
    await migrate(db);
    const dump = await db.dump!();
    writeFileSync(join(root, "template.tar"), Buffer.from(await dump.arrayBuffer()));
  } finally {
    await db.close();
  }
  process.env[TEMPLATE_ENV] = join(root, "template.tar");
  process.env[TEMPLATE_DIR_ENV] = join(root, "disk", "pglite");
}

export function removeEmbeddedTemplate(): void {
  const file = process.env[TEMPLATE_ENV];
  if (file) rmSync(dirname(file), { recursive: true, force: true });
}
