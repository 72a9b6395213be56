import { existsSync } from "node:fs";
import * as path from "node:path";
import express, { type RequestHandler, type Router } from "express";

/** Where `npm run build:app` writes the POS web app (the same relative path from src/ and dist/). */
export const WEB_APP_DIR = path.resolve(__dirname, "../../../../client/app/dist");

/** Paths that belong to the API: never answered with the app's index.html. */
const API_PREFIXES = ["/graphql", "/api/", "/healthz", "/readyz", "/metrics"];

/** Revalidated on every load: a new deployment must reach the till (hashed assets may be cached). */
const NO_CACHE = new Set(["index.html", "sw.js"]);

/**
 * Serves the built POS app at `/` when it exists (a no-op otherwise): its static files, and
 * index.html for any other page path so client-side routes and offline reloads land on the app.
 */
export function webApp(dir: string = WEB_APP_DIR): Router | RequestHandler {
  const index = path.join(dir, "index.html");
  if (!existsSync(index)) return (_req, _res, next) => next();
  const router = express.Router();
  router.use(
    express.static(dir, {
      index: "index.html",
      setHeaders: (res, file) => {
        const name = path.basename(file);
        if (NO_CACHE.has(name)) res.setHeader("Cache-Control", "no-cache");
        else if (file.includes(`${path.sep}assets${path.sep}`)) res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
      },
    }),
  );
  router.use((req, res, next) => {
    const isPage = (req.method === "GET" || req.method === "HEAD") && !path.extname(req.path) && req.accepts("html") === "html";
    if (!isPage || API_PREFIXES.some((p) => req.path.startsWith(p))) return next();
    res.setHeader("Cache-Control", "no-cache");
    res.sendFile(index);
  });
  return router;
}
