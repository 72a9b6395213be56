import { Client } from "pg";

export type FreshDatabase = { name: string; url: string; drop(): Promise<void> };

/** Creates `possync_bench_<timestamp>` next to the admin URL's database; drop() removes it. */
export async function createFreshDatabase(adminUrl: string): Promise<FreshDatabase> {
  const name = `possync_bench_${new Date().toISOString().replace(/\D/g, "").slice(0, 14)}`;
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

export async function postgresVersion(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
    return rows[0].v.split(" ")[0];
  } finally {
    await client.end();
  }
}

async function withAdmin<T>(adminUrl: string, work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
