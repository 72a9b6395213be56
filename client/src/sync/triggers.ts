/**
 * When an automatic sync happens: the browser's `online` event (and `offline`, for the status), and
 * an interval. Returns the function that removes them all.
 */
export function installTriggers(options: {
  intervalMs: number;
  onInterval: () => void;
  onOnline: () => void;
  onOffline: () => void;
  events?: boolean;
}): () => void {
  const removers: (() => void)[] = [];
  const target = globalThis as { addEventListener?: EventTarget["addEventListener"]; removeEventListener?: EventTarget["removeEventListener"] };
  if (options.events !== false && typeof target.addEventListener === "function" && typeof target.removeEventListener === "function") {
    const online = () => options.onOnline();
    const offline = () => options.onOffline();
    target.addEventListener("online", online);
    target.addEventListener("offline", offline);
    removers.push(() => {
      target.removeEventListener?.("online", online);
      target.removeEventListener?.("offline", offline);
    });
  }
  if (options.intervalMs > 0) {
    const timer = setInterval(options.onInterval, options.intervalMs);
    (timer as { unref?: () => void }).unref?.();
    removers.push(() => clearInterval(timer));
  }
  return () => removers.forEach((remove) => remove());
}

/** `navigator.onLine` where a browser tells; assumed online elsewhere (the first request will tell). */
export function browserSaysOnline(): boolean {
  const nav = (globalThis as { navigator?: { onLine?: boolean } }).navigator;
  return typeof nav?.onLine === "boolean" ? nav.onLine : true;
}

/**
 * In a browser, calls `persist` when the page may be about to go away: `pagehide` (a reload, a
 * closed tab, bfcache) and `visibilitychange` to hidden (the last event a mobile browser reliably
 * fires before killing a background tab). Returns the function that removes the listeners.
 */
export function installPageLifecycle(persist: () => void): () => void {
  const win = (globalThis as { window?: Pick<Window, "addEventListener" | "removeEventListener"> }).window;
  const doc = (globalThis as { document?: Pick<Document, "addEventListener" | "removeEventListener" | "visibilityState"> }).document;
  if (!win || typeof win.addEventListener !== "function") return () => {};
  const onPageHide = () => persist();
  const onVisibility = () => {
    if (doc?.visibilityState === "hidden") persist();
  };
  win.addEventListener("pagehide", onPageHide);
  doc?.addEventListener("visibilitychange", onVisibility);
  return () => {
    win.removeEventListener("pagehide", onPageHide);
    doc?.removeEventListener("visibilitychange", onVisibility);
  };
}
