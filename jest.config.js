/** Every test runs TypeScript through ts-jest against the real HTTP server and a real database. */

/**
 * Tests that open no database at all (the client's engine on scripted transports, static checks of
 * the source, pure money and admission rules): they run on the embedded run and are not repeated
 * when the same suite runs again against PostgreSQL (TEST_DATABASE_URL), where they would test
 * nothing new.
 */
const DATABASE_FREE = [
  "test/client/backoff-and-retry.test.ts",
  "test/client/client-faults-issue-14.test.ts",
  "test/client/codegen.test.ts",
  "test/client/money-agrees-with-server.test.ts",
  "test/client/offline-sync-writes.test.ts",
  "test/client/record-sale.test.ts",
  "test/client/storage-and-outbox.test.ts",
  "test/client/sync-engine.test.ts",
  "test/client/sync-shed.test.ts",
  "test/client/sync-transport-input.test.ts",
  "test/server/function-size.test.ts",
  "test/server/import-boundaries.test.ts",
  "test/server/membership-lookup.test.ts",
  "test/server/money.test.ts",
  "test/server/schema-file.test.ts",
  "test/server/sync-admission.test.ts",
];

module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", ...(process.env.TEST_DATABASE_URL ? DATABASE_FREE.map((f) => `<rootDir>/${f}`) : [])],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  testTimeout: 60000,
  // One migrated embedded database per run, that every test file's server starts from.
  globalSetup: "<rootDir>/test/support/embedded-template.ts",
  globalTeardown: "<rootDir>/test/support/embedded-template-teardown.ts",
  maxWorkers: 1,
};
