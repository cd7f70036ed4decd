const { createServer } = require('node:net');

/** A port free now, for the run's DynamoDB Local. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Two phases: the suites that share the machine happily run two at a time; the end-to-end ones (a simulated
 * day, the dashboard in Chromium) load DynamoDB Local on their own, so they run after, one at a time
 * (`jest --selectProjects e2e`, in `npm test`).
 */
const common = (dynamoPort) => ({
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
  // The run's DynamoDB Local (started by the global setup): every test file reads this port.
  globals: { TEST_DYNAMO_PORT: dynamoPort },
});

/** @type {() => Promise<import('jest').Config>} */
module.exports = async () => {
  const port = await freePort();
  return {
    testTimeout: 60000,
    testSequencer: '<rootDir>/test/support/sequencer.js',
    projects: [
      {
        ...common(port),
        displayName: 'suites',
        roots: ['<rootDir>/test'],
        testMatch: ['**/*.test.ts'],
        testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
      },
      {
        ...common(port),
        displayName: 'e2e',
        roots: ['<rootDir>/test/e2e'],
        testMatch: ['**/*.test.ts'],
      },
    ],
  };
};
