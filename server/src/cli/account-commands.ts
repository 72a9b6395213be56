import { parseArgs } from "node:util";
import type { DataSource } from "typeorm";
import { AccountService } from "../auth/account.service";
import { type AppConfig, ConfigError } from "../config/config";
import { createLogger } from "../observability/logger";
import { authSettingsOf } from "../services";
import { DomainError } from "../shared/errors";

/** `user add` and `member add`: what an operator runs to let people sign in. */
export const ACCOUNT_USAGE = `  shop add --name <name>                         create a shop; prints its id
  user add --email <email> --name <name>        create a user; the password is read from stdin
  member add --shop <id> --user <id|email> --role <owner|manager|cashier|viewer>
                                                 give a user a role in a shop (or change it)`;

type WithDatabase = <T>(work: (dataSource: DataSource) => Promise<T>) => Promise<T>;

export async function accountCommand(config: AppConfig, args: string[], withDatabase: WithDatabase): Promise<number> {
  try {
    return await runAccountCommand(config, args, withDatabase);
  } catch (error) {
    // A refused input (a taken email, a short password) is a message for the operator, not a stack.
    if (error instanceof DomainError) throw new ConfigError(`${args.slice(0, 2).join(" ")}: ${error.message}`);
    throw error;
  }
}

async function runAccountCommand(config: AppConfig, args: string[], withDatabase: WithDatabase): Promise<number> {
  const [noun, verb, ...rest] = args;
  const accounts = (dataSource: DataSource) => new AccountService(dataSource, authSettingsOf(config), createLogger("silent"));
  if (noun === "user" && verb === "add") {
    const { values } = parseArgs({ args: rest, options: { email: { type: "string" }, name: { type: "string" } } });
    if (!values.email || !values.name) throw new ConfigError("user add: --email and --name are required (the password comes on stdin)");
    const password = await readPassword();
    const user = await withDatabase((ds) => accounts(ds).addUser({ email: values.email!, name: values.name!, password }));
    process.stdout.write(`${JSON.stringify(user)}\n`);
    return 0;
  }
  if (noun === "shop" && verb === "add") {
    const { values } = parseArgs({ args: rest, options: { name: { type: "string" } } });
    if (!values.name) throw new ConfigError("shop add: --name is required");
    const shop = await withDatabase((ds) => accounts(ds).addShop(values.name!));
    process.stdout.write(`${JSON.stringify(shop)}\n`);
    return 0;
  }
  if (noun === "member" && verb === "add") {
    const { values } = parseArgs({ args: rest, options: { shop: { type: "string" }, user: { type: "string" }, role: { type: "string" } } });
    if (!values.shop || !values.user || !values.role) throw new ConfigError("member add: --shop, --user and --role are required");
    const membership = await withDatabase((ds) => accounts(ds).addMember(values.shop!, values.user!, values.role!));
    process.stdout.write(`${JSON.stringify(membership)}\n`);
    return 0;
  }
  throw new ConfigError(`unknown command: ${[noun, verb].filter(Boolean).join(" ")}\n${ACCOUNT_USAGE}`);
}

/** The first line of stdin (piped, or typed at a prompt), without its line ending. */
async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write("password: ");
  let text = "";
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes("\n")) break;
  }
  const password = text.split(/\r?\n/)[0];
  if (!password) throw new ConfigError("user add: no password on stdin (e.g. `printf '%s\\n' \"$PASSWORD\" | npm run -s cli -- user add ...`)");
  return password;
}
