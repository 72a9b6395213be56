import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import * as posClient from "../../client/src";

const APP_SRC = path.resolve(__dirname, "../../client/app/src");

/**
 * Loads a module of the till app (client/app/src) in a test. The app is an ES module package that
 * imports `@pos-sync/client`, which jest's CommonJS runtime can import neither as such nor by that
 * name, so the file is transpiled to CommonJS here and `@pos-sync/client` is the client's source,
 * as the app's vite alias makes it. Only modules whose one import is the client package load.
 */
export function loadAppModule(relativePath: string): Record<string, unknown> {
  const file = path.join(APP_SRC, relativePath);
  const { outputText } = ts.transpileModule(readFileSync(file, "utf8"), {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  const module = { exports: {} as Record<string, unknown> };
  const requireInApp = (id: string): unknown => {
    if (id === "@pos-sync/client") return posClient;
    throw new Error(`${relativePath} imports ${id}; loadAppModule only provides @pos-sync/client`);
  };
  new Function("exports", "require", "module", outputText)(module.exports, requireInApp, module);
  return module.exports;
}
