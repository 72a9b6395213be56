import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { precacheServiceWorker } from "./sw/precache-plugin.ts";

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/** `npm run build:app` writes client/app/dist, which the server serves at `/`. */
export default defineConfig({
  root: here("."),
  base: "/",
  plugins: [react(), precacheServiceWorker(here("sw/service-worker.js"))],
  resolve: {
    // The client package straight from source: the app always runs against the code beside it.
    alias: { "@pos-sync/client": here("../src/index.ts") },
  },
  // Apollo Client's production mode (no dev warnings, smaller bundle).
  define: { "globalThis.__DEV__": "false" },
  build: { outDir: here("dist"), emptyOutDir: true, sourcemap: true },
  // `npm run dev` style work: `npx vite --config client/app/vite.config.ts` with `npm start` running.
  server: { proxy: { "/graphql": "http://localhost:4000", "/api": "http://localhost:4000" } },
});
