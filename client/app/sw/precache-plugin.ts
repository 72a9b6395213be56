import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Plugin } from "vite";

/**
 * Emits `sw.js` from the service worker template, with the build's file list as its precache
 * manifest and a version derived from it: every build that changes a file installs a new worker.
 */
export function precacheServiceWorker(template: string): Plugin {
  return {
    name: "pos-precache-service-worker",
    apply: "build",
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((name) => !name.endsWith(".map"));
      const urls = ["/", ...files.map((name) => `/${name}`)].sort();
      const version = createHash("sha256").update(urls.join("\n")).digest("hex").slice(0, 12);
      const source = readFileSync(template, "utf8")
        .replace("self.__PRECACHE_URLS__", JSON.stringify(urls))
        .replace("self.__PRECACHE_VERSION__", JSON.stringify(version));
      this.emitFile({ type: "asset", fileName: "sw.js", source });
    },
  };
}
