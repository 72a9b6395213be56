import { z } from "zod";
import { DEFAULT_DATABASE_TIMEOUTS, type DatabaseTimeouts } from "../db/bounded-connection";
import type { AttentionSettings } from "../attention/attention.service";

/**
 * The only module that reads process.env. Every value is validated once at start so a bad
 * deployment fails loudly with the variable's name instead of misbehaving later.
 */
export const DEVELOPMENT_JWT_SECRET = "pos-sync-development-secret-change-me";

/**
 * Worker processes per server (node's cluster). Each opens its own pool of DB_POOL_SIZE
 * connections, so the bound keeps N x pool within what a PostgreSQL server usually allows.
 */
export const MAX_WEB_CONCURRENCY = 64;
const WORKERS_MESSAGE = `must be a whole number of worker processes from 1 to ${MAX_WEB_CONCURRENCY}`;

/** A bound in milliseconds: at least 100 ms, at most 10 minutes. */
function milliseconds(fallback: number) {
  return z.coerce.number().int().min(100).max(600_000).default(fallback);
}

/** A duration in seconds: `900`, `90s`, `15m`, `8h` or `90d`, from min to max seconds. */
function duration(min: number, max: number) {
  const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
  return z.union([z.number(), z.string()]).transform((value, ctx) => {
    const match = /^(\d+)\s*([smhd]?)$/.exec(String(value).trim());
    const seconds = match ? Number(match[1]) * units[match[2] || "s"] : Number.NaN;
    if (seconds >= min && seconds <= max) return seconds;
    ctx.addIssue({ code: "custom", message: `must be a duration like 90s, 15m, 8h or 90d, from ${min} to ${max} seconds` });
    return z.NEVER;
  });
}

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    HOST: z.string().min(1).default("0.0.0.0"),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
    DATA_DIR: z.string().min(1).default("./.data"),
    JWT_SECRET: z.string().min(16, "must be at least 16 characters").default(DEVELOPMENT_JWT_SECRET),
    JWT_MAX_TTL_SECONDS: z.coerce.number().int().min(60).max(365 * 24 * 3600).default(30 * 24 * 3600),
    MAX_SALES_PER_REQUEST: z.coerce.number().int().min(1).max(100000).default(1000),
    MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(5 * 1024 * 1024),
    DB_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    SEED_DEMO: z.enum(["auto", "never"]).default("auto"),
    GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(10),
    GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(1).max(1000).default(20),
    GRAPHQL_MAX_COST: z.coerce.number().int().min(100).max(10_000_000).default(20_000),
    GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).max(10_000_000).default(100_000),
    RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
    RATE_LIMIT_PER_TOKEN: z.coerce.number().int().min(0).max(1_000_000).default(600),
    RATE_LIMIT_PER_IP: z.coerce.number().int().min(0).max(1_000_000).default(3000),
    ACCESS_TOKEN_TTL: duration(1, 24 * 3600).default(15 * 60),
    REFRESH_TOKEN_TTL: duration(1, 3650 * 24 * 3600).default(90 * 24 * 3600),
    REFRESH_TOKEN_REUSE_GRACE: duration(0, 3600).default(30),
    AUTH_RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(100).max(86_400_000).default(15 * 60_000),
    LOGIN_RATE_LIMIT_PER_EMAIL: z.coerce.number().int().min(0).max(1_000_000).default(10),
    LOGIN_RATE_LIMIT_PER_IP: z.coerce.number().int().min(0).max(1_000_000).default(100),
    PAIR_RATE_LIMIT_PER_IP: z.coerce.number().int().min(0).max(1_000_000).default(10),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\/[^\s/]+/, "must be a redis:// or rediss:// URL")
      .refine((url) => URL.canParse(url), "must be a redis:// or rediss:// URL")
      .optional(),
    REDIS_TIMEOUT_MS: milliseconds(500),
    REDIS_KEY_PREFIX: z.string().regex(/^[\w:.-]{1,64}$/, "must be 1 to 64 letters, digits or _ : . -").default("possync:rl:"),
    DB_CONNECT_TIMEOUT_MS: milliseconds(DEFAULT_DATABASE_TIMEOUTS.connectMs),
    DB_ACQUIRE_TIMEOUT_MS: milliseconds(DEFAULT_DATABASE_TIMEOUTS.acquireMs),
    DB_STATEMENT_TIMEOUT_MS: milliseconds(DEFAULT_DATABASE_TIMEOUTS.statementMs),
    DB_LOCK_TIMEOUT_MS: milliseconds(DEFAULT_DATABASE_TIMEOUTS.lockMs),
    DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: milliseconds(DEFAULT_DATABASE_TIMEOUTS.idleInTransactionMs),
    DB_KEEPALIVE_DELAY_MS: milliseconds(DEFAULT_DATABASE_TIMEOUTS.keepAliveDelayMs),
    SHUTDOWN_TIMEOUT_MS: milliseconds(25_000),
    TILL_SILENCE_HOURS: z.coerce.number().positive().max(24 * 365).default(24),
    // Per process. The time bound is what usually decides: 3 s of work at the measured drain rate
    // (never below 1,000 sales) stays inside the pool's 5 s acquire timeout and a till's 20 s
    // request timeout; at this machine's ~1,200 sales/s that is 3,600 sales, more than anything
    // but a reconnect storm queues (the bench's busiest phase: 4 requests of 1,000, 3,000 ahead of the last).
    SYNC_MAX_QUEUED_SALES: z.coerce.number().int().min(0).max(10_000_000).default(10_000),
    SYNC_MAX_QUEUE_SECONDS: z.coerce.number().min(0).max(600).default(3),
    SYNC_RETRY_AFTER_MAX_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
    WEB_CONCURRENCY: z.coerce
      .number({ message: WORKERS_MESSAGE })
      .int(WORKERS_MESSAGE)
      .min(1, WORKERS_MESSAGE)
      .max(MAX_WEB_CONCURRENCY, WORKERS_MESSAGE)
      .default(1),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && env.JWT_SECRET === DEVELOPMENT_JWT_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["JWT_SECRET"],
        message: "the development default is refused in production; set a secret of your own",
      });
    }
    if (env.ACCESS_TOKEN_TTL > env.JWT_MAX_TTL_SECONDS) {
      ctx.addIssue({
        code: "custom",
        path: ["ACCESS_TOKEN_TTL"],
        message: `must not exceed JWT_MAX_TTL_SECONDS (${env.JWT_MAX_TTL_SECONDS} s): the server would refuse its own tokens`,
      });
    }
    // PGlite lives inside one process and has one writer: N processes cannot share its files.
    if (env.WEB_CONCURRENCY > 1 && env.WEB_CONCURRENCY <= MAX_WEB_CONCURRENCY && !env.DATABASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["WEB_CONCURRENCY"],
        message: `${env.WEB_CONCURRENCY} processes need DATABASE_URL (a PostgreSQL server): the embedded database belongs to one process; unset WEB_CONCURRENCY or set it to 1`,
      });
    }
  });

export type AppConfig = {
  nodeEnv: "development" | "production" | "test";
  isProduction: boolean;
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  jwtSecret: string;
  /** The longest lifetime (exp - iat) a token may claim; tokens without exp are refused. */
  jwtMaxTtlSeconds: number;
  maxSalesPerRequest: number;
  maxBodyBytes: number;
  dbPoolSize: number;
  logLevel: string;
  seedDemo: boolean;
  graphqlLimits: { maxDepth: number; maxAliases: number; maxCost: number; maxTokens: number };
  /** Requests per window on the sync endpoints; 0 turns a limit off. */
  rateLimit: { windowMs: number; perToken: number; perIp: number };
  /** Token lifetimes, in seconds. */
  auth: { accessTokenTtlSeconds: number; refreshTokenTtlSeconds: number; refreshReuseGraceSeconds: number };
  /** Failed sign-in and pairing attempts per window; 0 turns a limit off. */
  authRateLimit: { windowMs: number; loginPerEmail: number; loginPerIp: number; pairPerIp: number };
  /** Rate-limit counters shared by all processes; without a URL each process counts alone. */
  redis: { url: string | undefined; timeoutMs: number; keyPrefix: string };
  /** Bounds on every wait on the database path (a real PostgreSQL; the embedded one is in-process). */
  databaseTimeouts: DatabaseTimeouts;
  /** SIGTERM/SIGINT: in-flight requests get this long to finish before the process exits 1. */
  shutdownTimeoutMs: number;
  /** The attention list: a till not seen for this long that last reported unsent sales is listed. */
  attention: AttentionSettings;
  /** Load shedding of the sync endpoints (admission/sync-admission.ts); maxQueuedSales 0 turns it off. */
  syncAdmission: { maxQueuedSales: number; maxQueueSeconds: number; maxRetryAfterSeconds: number };
  /** Worker processes on one port (node's cluster); 1 runs no cluster at all. */
  webConcurrency: number;
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  return {
    nodeEnv: e.NODE_ENV,
    isProduction: e.NODE_ENV === "production",
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    jwtSecret: e.JWT_SECRET,
    jwtMaxTtlSeconds: e.JWT_MAX_TTL_SECONDS,
    maxSalesPerRequest: e.MAX_SALES_PER_REQUEST,
    maxBodyBytes: e.MAX_BODY_BYTES,
    dbPoolSize: e.DB_POOL_SIZE,
    logLevel: e.LOG_LEVEL,
    seedDemo: e.SEED_DEMO === "auto",
    graphqlLimits: {
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxCost: e.GRAPHQL_MAX_COST,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
    },
    rateLimit: { windowMs: e.RATE_LIMIT_WINDOW_MS, perToken: e.RATE_LIMIT_PER_TOKEN, perIp: e.RATE_LIMIT_PER_IP },
    auth: {
      accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL,
      refreshTokenTtlSeconds: e.REFRESH_TOKEN_TTL,
      refreshReuseGraceSeconds: e.REFRESH_TOKEN_REUSE_GRACE,
    },
    authRateLimit: {
      windowMs: e.AUTH_RATE_LIMIT_WINDOW_MS,
      loginPerEmail: e.LOGIN_RATE_LIMIT_PER_EMAIL,
      loginPerIp: e.LOGIN_RATE_LIMIT_PER_IP,
      pairPerIp: e.PAIR_RATE_LIMIT_PER_IP,
    },
    redis: { url: e.REDIS_URL, timeoutMs: e.REDIS_TIMEOUT_MS, keyPrefix: e.REDIS_KEY_PREFIX },
    databaseTimeouts: {
      connectMs: e.DB_CONNECT_TIMEOUT_MS,
      acquireMs: e.DB_ACQUIRE_TIMEOUT_MS,
      statementMs: e.DB_STATEMENT_TIMEOUT_MS,
      lockMs: e.DB_LOCK_TIMEOUT_MS,
      idleInTransactionMs: e.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
      keepAliveDelayMs: e.DB_KEEPALIVE_DELAY_MS,
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    attention: { tillSilenceHours: e.TILL_SILENCE_HOURS },
    syncAdmission: {
      maxQueuedSales: e.SYNC_MAX_QUEUED_SALES,
      maxQueueSeconds: e.SYNC_MAX_QUEUE_SECONDS,
      maxRetryAfterSeconds: e.SYNC_RETRY_AFTER_MAX_SECONDS,
    },
    webConcurrency: e.WEB_CONCURRENCY,
  };
}
