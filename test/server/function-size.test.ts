import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import ts from "typescript";

/**
 * Small functions: none over 60 lines in server/src, client/src or the till (migrations, which
 * are one long SQL script each, and generated code aside). Measured on the syntax tree.
 */
const ROOT = resolve(__dirname, "../..");
const MAX_LINES = 60;
const TREES = ["server/src", "client/src", "client/app/src", "tools"];
const EXEMPT = /\/(migrations|generated|dist)\//;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !EXEMPT.test(path) ? [path] : [];
  });
}

export function longFunctions(fileName: string, text: string, max = MAX_LINES): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name = (node as ts.FunctionDeclaration).name?.getText(source) ?? "(anonymous)";
      if (end - start + 1 > max) found.push(`${fileName}:${start + 1} ${name} is ${end - start + 1} lines`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test(`no function in the product's source is over ${MAX_LINES} lines`, () => {
  const files = TREES.flatMap((tree) => sourceFiles(join(ROOT, tree)));
  const long = files.flatMap((file) => longFunctions(relative(ROOT, file), readFileSync(file, "utf8")));
  expect(long).toEqual([]);
});

test("the measure finds a long function", () => {
  const body = Array.from({ length: MAX_LINES }, (_, i) => `  const v${i} = ${i};`).join("\n");
  expect(longFunctions("x.ts", `function big() {\n${body}\n}\n`)).toEqual([`x.ts:1 big is ${MAX_LINES + 2} lines`]);
});
