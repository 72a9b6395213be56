/** Every test runs TypeScript through ts-jest against the real HTTP server and a real database. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  testTimeout: 60000,
  // One migrated embedded database per run, that every test file's server starts from.
  globalSetup: "<rootDir>/test/support/embedded-template.ts",
  globalTeardown: "<rootDir>/test/support/embedded-template-teardown.ts",
  maxWorkers: 1,
};
