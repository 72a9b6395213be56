import "reflect-metadata";
import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { type AppConfig, loadConfig } from "../../server/src/config/config";
import { type SeededShops, seedDemoShops } from "../../server/src/demo/seed";
import { createLogger } from "../../server/src/observability/logger";
import { type RunningServer, startServer } from "../../server/src/server";
import { readFileSync } from "node:fs";
import { openDatabase } from "../../server/src/db/data-source";
import { TEMPLATE_ENV } from "./embedded-template";

/**
 * The real HTTP server, started in-process on an ephemeral port, on the database the run asks for:
 * the local PostgreSQL when TEST_DATABASE_URL is set, otherwise an in-memory embedded PGlite.
 * Isolation between tests comes from fresh shops (seed()), not from fresh databases.
 */
export type TestServer = {
  url: string;
  config: AppConfig;
  dataSource: DataSource;
  server: RunningServer;
  seed(): Promise<SeededShops>;
  close(): Promise<void>;
};

export const usingRealPostgres = Boolean(process.env.TEST_DATABASE_URL);

export async function startTestServer(overrides: Record<string, string> = {}): Promise<TestServer> {
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    DATABASE_URL: process.env.TEST_DATABASE_URL,
    // Every test talks from 127.0.0.1, often with one token: limits are on only where a test asks.
    RATE_LIMIT_PER_TOKEN: "0",
    RATE_LIMIT_PER_IP: "0",
    ...sharedRateLimits(),
    ...overrides,
  });
  const database = await openDatabase(
    config.databaseUrl
      ? { kind: "server", url: config.databaseUrl, poolSize: 10, timeouts: config.databaseTimeouts }
      : { kind: "embedded", dataDir: "memory", template: embeddedTemplate() },
  );
  const server = await startServer(config, createLogger(config.logLevel), database);
  const url = `http://127.0.0.1:${server.port}`;
  return {
    url,
    config,
    dataSource: database.dataSource,
    server,
    seed: () => seedDemoShops(database.dataSource, config.jwtSecret),
    close: () => server.close(),
  };
}

/** The run's migrated embedded database (embedded-template.ts), when jest's globalSetup made one. */
function embeddedTemplate(): Blob | undefined {
  const file = process.env[TEMPLATE_ENV];
  return file ? new Blob([readFileSync(file)]) : undefined;
}

/**
 * TEST_RATE_LIMITS_ON_REDIS=1 runs every in-process server's rate limits on Redis (TEST_REDIS_URL,
 * default redis://127.0.0.1:6379) instead of memory, each server under a key prefix of its own so
 * that servers and runs never share counters.
 */
function sharedRateLimits(): Record<string, string> {
  if (!process.env.TEST_RATE_LIMITS_ON_REDIS) return {};
  return { REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379", REDIS_KEY_PREFIX: `possync-test:${randomUUID().slice(0, 8)}:` };
}
