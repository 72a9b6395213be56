import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildGraphQLSchema } from "../../server/src/api/graphql/schema";

describe("schema.graphql", () => {
  it("matches the schema emitted from the type-graphql classes (run `npm run schema` when this fails)", async () => {
    const fresh = join(mkdtempSync(join(tmpdir(), "schema-")), "schema.graphql");
    await buildGraphQLSchema(fresh);
    expect(readFileSync(resolve(__dirname, "../../schema.graphql"), "utf8")).toBe(readFileSync(fresh, "utf8"));
  });
});
