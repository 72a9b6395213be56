import { Redis } from "ioredis";
import type { Logger } from "pino";
import type { RedisReply } from "rate-limit-redis";
import { throttledLog } from "../../observability/throttled-log";

/**
 * The one Redis connection of a server process, used only by the rate limiters. Every wait is
 * bounded by `timeoutMs`, because a limiter sits in front of every sync and sign-in: connecting,
 * each command, and closing. With the offline queue off a command sent while the connection is
 * down fails at once instead of queueing until Redis returns; a command is never resent after a
 * reconnect (a resent increment would count a request twice). The client reconnects for ever,
 * backing off to at most 2 s, so the limits come back by themselves when Redis does.
 */
export type RateLimitRedis = {
  /** Resolves when connected or after the timeout, whichever is first; never rejects. */
  ready(): Promise<boolean>;
  send(command: string, ...args: string[]): Promise<RedisReply>;
  close(): Promise<void>;
};

export const MAX_RECONNECT_DELAY_MS = 2000;

export function connectRateLimitRedis(url: string, timeoutMs: number, logger: Logger): RateLimitRedis {
  const log = throttledLog(logger);
  const client = new Redis(url, {
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    disconnectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt) => Math.min(100 * attempt, MAX_RECONNECT_DELAY_MS),
    keepAlive: 10_000,
    connectionName: "possync-rate-limits",
  });
  let failing = false;
  client.on("error", (error: Error & { code?: string }) => {
    failing = true;
    // The message and code only: the URL (which may carry a password) is never logged.
    log("connection", { error: error.message, code: error.code }, "rate-limit store (Redis) unavailable");
  });
  // A connection lost is an outage even when no reconnect attempt failed before Redis was back.
  client.on("close", () => (failing = true));
  client.on("ready", () => {
    if (failing) logger.info("rate-limit store (Redis) ready again");
    else logger.info("rate-limit store (Redis) ready");
    failing = false;
  });
  return {
    ready: () => readyWithin(client, timeoutMs),
    async send(command, ...args) {
      try {
        return (await client.call(command, ...args)) as RedisReply;
      } catch (error) {
        dropIfSilent(client, error);
        throw error;
      }
    },
    close: () => closeBounded(client, timeoutMs),
  };
}

/**
 * A command that timed out on a connection that looks open means the network ate it (a
 * partition): nothing tells the socket it is dead for many minutes. Dropping it makes the next
 * commands fail at once (offline queue off) instead of each waiting out its timeout, and the
 * reconnect finds Redis again when the network heals.
 */
function dropIfSilent(client: Redis, error: unknown): void {
  if (error instanceof Error && /timed out/i.test(error.message) && client.status === "ready") client.disconnect(true);
}

function readyWithin(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === "ready") return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      client.off("ready", onReady);
      resolve(false);
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    client.once("ready", onReady);
  });
}

async function closeBounded(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === "ready") {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([client.quit().catch(() => undefined), late]);
    clearTimeout(timer);
  }
  client.disconnect();
}
