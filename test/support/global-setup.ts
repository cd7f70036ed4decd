import { startDynamoLocal } from '../../local/dynamodb-local';

/**
 * One DynamoDB Local for the whole run, on the port jest.config.js chose for it (every test reads it as the
 * global TEST_DYNAMO_PORT); test files create their own tables under a unique prefix.
 */
export default async function globalSetup(
  _global: unknown,
  project: { globals: Record<string, unknown> },
): Promise<void> {
  // Both projects of a plain `jest` share the one started for the first.
  if ((globalThis as { __dynamo?: unknown }).__dynamo) return;
  const port = project.globals.TEST_DYNAMO_PORT;
  if (typeof port !== 'number') throw new Error('jest.config.js sets the global TEST_DYNAMO_PORT');
  const dynamo = await startDynamoLocal({ port });
  (globalThis as { __dynamo?: typeof dynamo }).__dynamo = dynamo;
}
