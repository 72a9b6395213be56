import pino, { type Logger } from "pino";

/** JSON lines; credentials are redacted wherever they might appear. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ["req.headers.authorization", "req.headers.cookie", "headers.authorization", "authorization", "token"],
      censor: "[redacted]",
    },
  });
}
