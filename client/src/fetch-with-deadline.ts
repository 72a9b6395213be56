/** A request that got no whole answer in time. Retried like any network failure (no HTTP status). */
export class RequestTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`The server sent no answer within ${timeoutMs} ms; the request was abandoned`);
    this.name = "RequestTimeoutError";
  }
}

/** A request still out when the client was disposed: abandoned so `dispose()` does not wait on it. */
export class ClientStoppedError extends Error {
  constructor() {
    super("The POS client was disposed while the request was out");
    this.name = "ClientStoppedError";
  }
}

/**
 * Wraps fetch so that no request outlives `timeoutMs` (or the client): the request is aborted
 * through its AbortSignal, and the promise rejects at the deadline even if a custom fetch ignores
 * the signal. Without it a request the network never answers (a blackholed connection) keeps a
 * sync running for as long as the platform waits, 300 s in Node. The deadline covers the whole
 * answer, body included: a server that sends headers and then stalls is abandoned too. Apollo's
 * own cancellation (its `signal`) still aborts the request.
 */
export function fetchWithDeadline(fetchImpl: typeof fetch, timeoutMs: number | false, stopped: AbortSignal): typeof fetch {
  return (input, init) => {
    const controller = new AbortController();
    const cleanups: (() => void)[] = [];
    const gaveUp = new Promise<never>((_, reject) => {
      const giveUp = (reason: unknown) => {
        controller.abort(reason);
        reject(reason);
      };
      onAbort(init?.signal, () => giveUp(init?.signal?.reason), cleanups);
      onAbort(stopped, () => giveUp(new ClientStoppedError()), cleanups);
      if (timeoutMs !== false) {
        const timer = setTimeout(() => giveUp(new RequestTimeoutError(timeoutMs)), timeoutMs);
        (timer as { unref?: () => void }).unref?.();
        cleanups.push(() => clearTimeout(timer));
      }
    });
    const answered = (async () => {
      const response = await fetchImpl(input, { ...init, signal: controller.signal });
      // Reading a clone to the end buffers the whole body for the original, within the deadline.
      if (typeof response.clone === "function") await response.clone().arrayBuffer();
      return response;
    })();
    return Promise.race([answered, gaveUp]).finally(() => cleanups.forEach((cleanup) => cleanup()));
  };
}

function onAbort(signal: AbortSignal | null | undefined, abort: () => void, cleanups: (() => void)[]): void {
  if (!signal) return;
  if (signal.aborted) return abort();
  signal.addEventListener("abort", abort, { once: true });
  cleanups.push(() => signal.removeEventListener("abort", abort));
}
