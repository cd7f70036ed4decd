import { startDynamoLocal } from '../../infra/local/dynamodb-local';

/** One DynamoDB Local for the whole run; test files create their own tables under a unique prefix. */
export default async function globalSetup(): Promise<void> {
  const dynamo = await startDynamoLocal();
  process.env.TEST_DYNAMO_ENDPOINT = dynamo.endpoint;
  (globalThis as { __dynamo?: typeof dynamo }).__dynamo = dynamo;
}
