import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The request id travels with the async context, so every log line written while serving a
 * request carries it, including lines from services that know nothing about HTTP.
 */
const scope = new AsyncLocalStorage<{ requestId: string }>();

export function runInRequestScope<T>(requestId: string, fn: () => T): T {
  return scope.run({ requestId }, fn);
}

export function currentRequestId(): string | undefined {
  return scope.getStore()?.requestId;
}
