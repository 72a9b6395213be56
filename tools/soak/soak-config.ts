/**
 * The soak's own settings. Like config/config.ts for the server, this is the only module of the
 * soak that reads process.env (the soak is a separate tool, not part of the server).
 */
export type SoakConfig = {
  databaseUrl: string | undefined;
  secondsPerTransport: number;
  maxRequestsPerTransport: number;
  connections: number;
  salesPerRequest: number;
  duplicateRatio: number;
  logLevel: string;
  /** Passed to the server's loadConfig (JWT_SECRET, DB_POOL_SIZE, ...); the soak overrides a few. */
  serverEnv: NodeJS.ProcessEnv;
};

function intIn(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer between ${min} and ${max}`);
  return n;
}

export function loadSoakConfig(env: NodeJS.ProcessEnv = process.env): SoakConfig {
  const duplicatePercent = intIn(env, "SOAK_DUPLICATE_PERCENT", 30, 0, 100);
  return {
    databaseUrl: env.SOAK_DATABASE_URL || env.DATABASE_URL || undefined,
    secondsPerTransport: intIn(env, "SOAK_SECONDS", 30, 1, 3600),
    maxRequestsPerTransport: intIn(env, "SOAK_MAX_REQUESTS", 100_000, 1, 10_000_000),
    connections: intIn(env, "SOAK_CONNECTIONS", 16, 1, 1000),
    salesPerRequest: intIn(env, "SOAK_SALES_PER_REQUEST", 5, 1, 1000),
    duplicateRatio: duplicatePercent / 100,
    logLevel: env.SOAK_LOG_LEVEL || "warn",
    serverEnv: env,
  };
}
