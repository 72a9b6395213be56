import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/**
 * The layering rules, checked on the source text: the domain never imports a transport adapter
 * (api/graphql, api/rest, api/http) nor the libraries that are the transports, and the server and
 * the client packages (with the till app) never import each other.
 */
const ROOT = resolve(__dirname, "../..");
const SERVER = join(ROOT, "server/src");
const CLIENT = join(ROOT, "client");
const DOMAIN_FOLDERS = ["sync", "catalog", "sales", "inventory", "auth", "db", "shared", "invariants", "config", "receipts", "attention"];
const TRANSPORT_PACKAGES = ["express", "graphql", "type-graphql", "@apollo/server", "@as-integrations/express5", "graphql-scalars"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules" || name === "dist" || name === "generated") return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

/** Every module specifier a file imports, re-exports or requires, resolved to a path when relative. */
export function importsOf(file: string, text: string = readFileSync(file, "utf8")): string[] {
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\(\s*)["']([^"']+)["']/g)].map((m) => m[1]);
  return specifiers.map((s) => (s.startsWith(".") ? resolve(dirname(file), s) : s));
}

function violations(files: string[], isForbidden: (target: string) => boolean): string[] {
  return files.flatMap((file) =>
    importsOf(file)
      .filter(isForbidden)
      .map((target) => `${relative(ROOT, file)} imports ${target.startsWith(ROOT) ? relative(ROOT, target) : target}`),
  );
}

const inside = (dir: string) => (target: string) => target === dir || target.startsWith(dir + sep);

describe("import boundaries", () => {
  test("no domain file imports an adapter under server/src/api or a transport library", () => {
    const domainFiles = DOMAIN_FOLDERS.flatMap((folder) => sourceFiles(join(SERVER, folder)));
    expect(domainFiles.length).toBeGreaterThan(20);
    const isTransport = (t: string) => inside(join(SERVER, "api"))(t) || TRANSPORT_PACKAGES.includes(t);
    expect(violations(domainFiles, isTransport)).toEqual([]);
  });

  test("the server never imports the client package or the till", () => {
    expect(violations(sourceFiles(SERVER), (t) => inside(CLIENT)(t) || t.startsWith("@pos-sync/client"))).toEqual([]);
  });

  test("the client package and the till never import the server", () => {
    const isServer = (t: string) => inside(join(ROOT, "server"))(t) || t.startsWith("@pos-sync/server");
    expect(violations(sourceFiles(CLIENT), isServer)).toEqual([]);
  });

  test("the checker sees a forbidden import when there is one", () => {
    const file = join(SERVER, "sync/example.ts");
    const found = importsOf(file, `import { x } from "../api/http/app";\nconst y = require("express");`);
    expect(found).toEqual([join(SERVER, "api/http/app"), "express"]);
  });
});
