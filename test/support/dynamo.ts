import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client';
import { ensureTables, tableNames } from '../../shared/adapters/dynamodb/setup';

/** Fresh tables on the run's DynamoDB Local, under a prefix no other test file uses. */
export async function freshTables() {
  const endpoint = process.env.TEST_DYNAMO_ENDPOINT;
  if (!endpoint) throw new Error('TEST_DYNAMO_ENDPOINT is not set: run the tests through jest (npm test)');
  // Generous bounds: tests share two cores with DynamoDB Local.
  const doc = createDocumentClient({ endpoint, requestTimeoutMs: 5000, connectionTimeoutMs: 2000 });
  const names = tableNames(`t${randomUUID().slice(0, 8)}-`);
  await ensureTables(doc as unknown as DynamoDBClient, names);
  return { doc, names };
}

/** A client for the run's DynamoDB Local (table administration in tests). */
export function dynamoClient(): DynamoDBClient {
  return createDocumentClient({
    endpoint: process.env.TEST_DYNAMO_ENDPOINT!,
    requestTimeoutMs: 10_000,
  }) as unknown as DynamoDBClient;
}
