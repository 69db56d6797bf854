// Test tiers by file suffix (ARCHITECTURE.md): unit (no infrastructure), int (real Kafka and
// MongoDB API), e2e (the whole stack through HAProxy), chaos (kill things under load).
// The int/e2e/chaos tiers expect a stack started by infra/local/run-tests.sh (see test/support).
const swc = {
  swcrc: false,
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2023',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: {
    '^@bulwark/(contracts|messaging|platform)$': '<rootDir>/libs/$1/src/index.ts',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.data/'],
};

const tier = (name, timeout) => ({
  ...common,
  displayName: name,
  testMatch: [`<rootDir>/**/*.${name}.spec.ts`],
  // testTimeout is global-only in jest; per tier it is set by the setup file from this global.
  globals: { BULWARK_TEST_TIMEOUT_MS: timeout ?? 5000 },
  setupFilesAfterEnv: ['<rootDir>/test/support/jest-tier-timeout.ts'],
});

module.exports = {
  projects: [tier('unit'), tier('int', 120_000), tier('e2e', 120_000), tier('chaos', 300_000), tier('lifecycle', 300_000)],
};
