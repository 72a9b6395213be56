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

export default async function createEmbeddedTemplate(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  const db = await openDatabase({ kind: "embedded", dataDir: "memory" });
  try {
    await migrate(db);
    const dump = await db.dump!();
    const file = join(mkdtempSync(join(tmpdir(), "possync-pglite-")), "template.tar");
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    process.env[TEMPLATE_ENV] = file;
  } finally {
    await db.close();
  }
}

export function removeEmbeddedTemplate(): void {
  const file = process.env[TEMPLATE_ENV];
  if (file) rmSync(dirname(file), { recursive: true, force: true });
}
