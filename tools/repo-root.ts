import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/** The repository's root, found from wherever the tools were compiled to (tools/dist/... or ts-jest's source tree). */
export function repoRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, "package-lock.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package-lock.json above ${from}`);
    dir = parent;
  }
  return dir;
}
