/**
 * Two phases: the suites that share the machine happily run two at a time; the end-to-end ones (a simulated
 * day, the dashboard in Chromium) load DynamoDB Local on their own, so they run after, one at a time
 * (`jest --selectProjects e2e`, in `npm test`).
 */
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  testSequencer: '<rootDir>/test/support/sequencer.js',
  projects: [
    {
      ...common,
      displayName: 'suites',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
    },
    {
      ...common,
      displayName: 'e2e',
      roots: ['<rootDir>/test/e2e'],
      testMatch: ['**/*.test.ts'],
    },
  ],
};
