import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
/** Each codegen config (the client package's, the till app's) and the file it writes, which is committed. */
const CONFIGS = [
  { config: "codegen.yml", generated: "client/src/generated/graphql.ts" },
  { config: "client/app/codegen.yml", generated: "client/app/src/generated/graphql.ts" },
];

describe("the generated GraphQL types", () => {
  it.each(CONFIGS)("$generated matches what $config generates from schema.graphql and the .graphql operations (run `npm run codegen`)", async ({ config, generated }) => {
    const dir = await mkdtemp(path.join(tmpdir(), "pos-sync-codegen-"));
    try {
      // The same config, writing to a temporary file instead of over the committed one.
      const text = await readFile(path.join(ROOT, config), "utf8");
      expect(text).toContain(`  ${generated}:`);
      const fresh = path.join(dir, "graphql.ts");
      await writeFile(path.join(dir, "codegen.yml"), text.replace(`  ${generated}:`, `  ${JSON.stringify(fresh)}:`));
      await run(process.execPath, [path.join(ROOT, "node_modules/@graphql-codegen/cli/cjs/bin.js"), "--config", path.join(dir, "codegen.yml")], { cwd: ROOT });
      expect(await readFile(path.join(ROOT, generated), "utf8")).toBe(await readFile(fresh, "utf8"));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("the client package", () => {
  it("do not import anything from the server package", async () => {
    const { stdout } = await run("grep", ["-rlE", "from \"(\\.\\./)+server/|@pos-sync/server", path.join(ROOT, "client/src")]).catch((e: { code?: number; stdout: string }) =>
      e.code === 1 ? { stdout: "" } : Promise.reject(e),
    );
    expect(stdout.trim()).toBe("");
  });
});
