import { Client } from "pg";
import { migrate, openDatabase } from "../../server/src/db/data-source";
import { MIGRATIONS } from "../../server/src/db/migrations";

/** Replicas of a deployment start together; a shared PostgreSQL is needed to show it (.ci/run has one). */
const databaseUrl = process.env.TEST_DATABASE_URL ?? "";
const onRealPostgres = databaseUrl ? describe : describe.skip;

onRealPostgres("migrations", () => {
  it("lets two servers starting together on an empty database take turns instead of colliding", async () => {
    const name = `possync_migrate_${Date.now()}`;
    const admin = new Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(databaseUrl);
    url.pathname = `/${name}`;
    const [a, b] = await Promise.all([1, 2].map(() => openDatabase({ kind: "server", url: url.toString(), poolSize: 2 })));
    try {
      const applied = await Promise.all([migrate(a), migrate(b)]);
      // One of them applies every migration, the other none.
      expect(applied.map((list) => list.length).sort()).toEqual([0, MIGRATIONS.length]);
    } finally {
      await a.close();
      await b.close();
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
