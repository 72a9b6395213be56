import type { Options } from "express-rate-limit";
import type { Logger } from "pino";
import { RedisStore } from "rate-limit-redis";
import type { AppConfig } from "../../config/config";
import { throttledLog } from "../../observability/throttled-log";
import { type RateLimitRedis, connectRateLimitRedis } from "./rate-limit-redis";

/**
 * Where the rate limiters keep their counters. Without REDIS_URL every limiter uses
 * express-rate-limit's memory store, so each process counts alone (as before Redis). With it,
 * each limiter gets a RedisStore under its own key prefix and all processes share its counters.
 *
 * A shared limiter lets a request through when Redis fails (passOnStoreError): whether that is
 * safe is the caller's decision. The sync limits accept it (an outage of the limiter must not
 * stop shops from syncing); the sign-in limits put a per-process memory limiter in front.
 */
export type RateLimitStores = {
  /** Options that make the named limiter shared, or undefined when counters are per process. */
  shared(limiter: string): Partial<Options> | undefined;
  /**
   * Waits at most the store's timeout for its connection, so that the first requests after a start
   * are counted too; false when Redis did not answer in time (the server starts all the same).
   */
  ready(): Promise<boolean>;
  close(): Promise<void>;
};

export const PER_PROCESS_STORES: RateLimitStores = { shared: () => undefined, ready: async () => true, close: async () => undefined };

export function rateLimitStores(
  settings: AppConfig["redis"],
  logger: Logger,
  onStoreError: (limiter: string) => void = () => undefined,
): RateLimitStores {
  if (!settings.url) return PER_PROCESS_STORES;
  const redis = connectRateLimitRedis(settings.url, settings.timeoutMs, logger);
  const log = throttledLog(logger);
  return {
    shared: (limiter) => ({
      store: new BoundedRedisStore(redis, `${settings.keyPrefix}${limiter}:`, settings.timeoutMs, () => onStoreError(limiter)),
      passOnStoreError: true,
      logger: {
        // express-rate-limit reports store failures here (one per request in an outage): throttled,
        // and worded for what happens: this limiter let the request through; the sign-in limits'
        // memory backstop still counts it.
        error: (error, message) =>
          log(limiter, { limiter, error: messageOf(error), detail: message }, "rate-limit store (Redis) failed; this limiter let the request through"),
        warn: (error, message) => logger.warn({ limiter, err: messageOf(error) }, message ?? "rate limiter warning"),
      },
    }),
    ready: () => redis.ready(),
    close: () => redis.close(),
  };
}

/**
 * RedisStore with every operation bounded by one deadline (a script reload and its retry would
 * otherwise wait two command timeouts), each failure counted, and a failed script upload retried.
 * The stock store uploads its scripts once, at start, and keeps the rejected promise when Redis
 * was down then, so it would fail every request until a restart.
 */
class BoundedRedisStore extends RedisStore {
  constructor(
    redis: RateLimitRedis,
    prefix: string,
    private readonly deadlineMs: number,
    private readonly onError: () => void,
  ) {
    super({ sendCommand: (command: string, ...args: string[]) => redis.send(command, ...args), prefix });
  }

  /**
   * The scripts are uploaded on first use, not here: limiters are built while the connection is
   * still opening, and with the offline queue off an upload now could only fail.
   */
  override async init(options: Options): Promise<void> {
    this.windowMs = options.windowMs;
    this.incrementScriptSha = notLoaded();
    this.getScriptSha = notLoaded();
  }

  override increment(key: string) {
    this.incrementScriptSha = this.incrementScriptSha.catch(() => this.loadIncrementScript());
    return this.bounded(super.increment(key));
  }

  override get(key: string) {
    this.getScriptSha = this.getScriptSha.catch(() => this.loadGetScript());
    return this.bounded(super.get(key));
  }

  override decrement(key: string) {
    return this.bounded(super.decrement(key));
  }

  override resetKey(key: string) {
    return this.bounded(super.resetKey(key));
  }

  private async bounded<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`rate-limit store did not answer within ${this.deadlineMs} ms`)), this.deadlineMs);
    });
    try {
      return await Promise.race([work, late]);
    } catch (error) {
      this.onError();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A rejected promise that is handled: increment and get replace it with an upload. */
function notLoaded(): Promise<string> {
  const never = Promise.reject(new Error("script not uploaded yet"));
  never.catch(() => undefined);
  return never;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
