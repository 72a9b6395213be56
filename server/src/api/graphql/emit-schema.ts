import { resolve } from "node:path";
import { buildGraphQLSchema } from "./schema";

/** `npm run schema` rewrites the committed schema.graphql from the type-graphql classes. */
async function main(): Promise<void> {
  const path = resolve(__dirname, "../../../../schema.graphql");
  await buildGraphQLSchema(path);
  process.stdout.write(`wrote ${path}\n`);
}

void main();
