import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { openApiJson } from "./openapi";

/** `npm run openapi` rewrites the committed openapi.json from the zod schemas of the REST routes. */
function main(): void {
  const path = resolve(__dirname, "../../../../openapi.json");
  writeFileSync(path, openApiJson());
  process.stdout.write(`wrote ${path}\n`);
}

main();
