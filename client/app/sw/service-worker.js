/* The till's service worker: the app shell is precached at install, so a reload with no network
 * still opens the till; sales and the Apollo cache live in IndexedDB (the client package).
 * The build (sw/precache-plugin.ts) fills in the file list and the version. */
const URLS = self.__PRECACHE_URLS__;
const CACHE = `pos-shell-${self.__PRECACHE_VERSION__}`;
const API = ["/graphql", "/api/", "/healthz", "/readyz", "/metrics"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(URLS.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith("pos-shell-") && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || API.some((p) => url.pathname.startsWith(p))) return;
  event.respondWith(request.mode === "navigate" ? page(request) : asset(request));
});

/** A page waits this long for the network before the till opens from the cache (flaky Wi-Fi). */
const NETWORK_TIMEOUT_MS = 4000;

/** Pages: the network when it answers (a new deployment shows at once), else the cached shell. */
async function page(request) {
  try {
    const response = await Promise.race([
      fetch(request),
      new Promise((_, reject) => setTimeout(() => reject(new Error("network timeout")), NETWORK_TIMEOUT_MS)),
    ]);
    if (response.ok) return response;
    throw new Error(`HTTP ${response.status}`);
  } catch {
    const cached = await caches.match("/", { cacheName: CACHE });
    return cached ?? Response.error();
  }
}

/** Hashed assets never change under a name: the cache first, the network for anything else. */
async function asset(request) {
  const cached = await caches.match(request, { cacheName: CACHE });
  return cached ?? fetch(request);
}
