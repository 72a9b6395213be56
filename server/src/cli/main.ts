import "reflect-metadata";
import { parseArgs } from "node:util";
import { issueToken, lifetimeOf } from "../auth/tokens";
import { type AppConfig, ConfigError, loadConfig } from "../config/config";
import { type Database, migrate, openDatabase } from "../db/data-source";
import { seedDemoShops } from "../demo/seed";
import { isUuid } from "../shared/uuid";
import { checkInvariants, checkedVolume, describeBroken } from "../invariants/check";
import { ACCOUNT_USAGE, accountCommand } from "./account-commands";

const USAGE = `usage: npm run cli -- <command>
  migrate                          apply pending migrations
  token --user <id> [--ttl 8h]     print a signed token for a user
  seed-demo [--json]               create a fresh pair of demo shops and print their ids and tokens
  check [--shop <id>]              verify the invariants of recorded sales; exits 1 naming the first broken one
${ACCOUNT_USAGE}`;

async function withDatabase<T>(config: AppConfig, work: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(
    config.databaseUrl ? { kind: "server", url: config.databaseUrl, poolSize: 2 } : { kind: "embedded", dataDir: config.dataDir },
  );
  try {
    await migrate(db);
    return await work(db);
  } finally {
    await db.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case "migrate": {
      const db = await openDatabase(
        config.databaseUrl ? { kind: "server", url: config.databaseUrl, poolSize: 2 } : { kind: "embedded", dataDir: config.dataDir },
      );
      try {
        const applied = await migrate(db);
        process.stdout.write(applied.length ? `applied: ${applied.join(", ")}\n` : "nothing to apply\n");
      } finally {
        await db.close();
      }
      return 0;
    }
    case "token": {
      const { values } = parseArgs({ args: rest, options: { user: { type: "string" }, ttl: { type: "string", default: "8h" } } });
      if (!values.user) throw new ConfigError("token: --user <id> is required");
      const token = issueToken(config.jwtSecret, values.user, values.ttl);
      // The server refuses a token that claims to live longer than JWT_MAX_TTL_SECONDS: say so now.
      if ((lifetimeOf(token) ?? Infinity) > config.jwtMaxTtlSeconds) {
        throw new ConfigError(`token: --ttl ${values.ttl} is longer than JWT_MAX_TTL_SECONDS (${config.jwtMaxTtlSeconds} s); the server would refuse it`);
      }
      process.stdout.write(`${token}\n`);
      return 0;
    }
    case "seed-demo": {
      const { values } = parseArgs({ args: rest, options: { json: { type: "boolean", default: false } } });
      const seeded = await withDatabase(config, (db) => seedDemoShops(db.dataSource, config.jwtSecret));
      process.stdout.write(values.json ? `${JSON.stringify(seeded)}\n` : `${JSON.stringify(seeded, null, 2)}\n`);
      return 0;
    }
    case "check":
      return runCheck(config, rest);
    case "shop":
    case "user":
    case "member":
      return accountCommand(config, argv, (work) => withDatabase(config, (db) => work(db.dataSource)));
    default:
      process.stderr.write(`${USAGE}\n`);
      return command ? 2 : 0;
  }
}

/** `check [--shop <id>]`: the invariants of recorded sales; 1 naming the first broken one. */
async function runCheck(config: AppConfig, rest: string[]): Promise<number> {
  const { values } = parseArgs({ args: rest, options: { shop: { type: "string" } } });
  if (values.shop !== undefined && !isUuid(values.shop)) throw new ConfigError("check: --shop must be a shop id (UUID)");
  const scope = values.shop ? { shopId: values.shop.toLowerCase() } : {};
  const started = Date.now();
  const [broken, volume] = await withDatabase(config, async (db) => [
    await checkInvariants(db.dataSource, scope),
    await checkedVolume(db.dataSource, scope),
  ] as const);
  if (broken.length > 0) {
    process.stderr.write(`invariant broken: ${broken.map(describeBroken).join("\n  also broken: ")}\n`);
    return 1;
  }
  process.stdout.write(
    `invariants hold: ${volume.shops} shop(s), ${volume.sales} sales, ${volume.items} items, ${volume.products} products, ` +
      `${volume.movements} stock movements checked in ${Date.now() - started} ms\n`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : (error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
