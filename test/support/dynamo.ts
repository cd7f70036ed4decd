import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand as GetStreamRecordsCommand,
  GetShardIteratorCommand as GetStreamIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { randomUUID } from 'node:crypto';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client';
import { ensureTables, tableNames } from '../../shared/adapters/dynamodb/setup';

/**
 * The run's DynamoDB Local, started by the global setup on the port jest.config.js chose (a jest global, so
 * nothing is handed over through the environment).
 */
export function testDynamoEndpoint(): string {
  const port = (globalThis as { TEST_DYNAMO_PORT?: unknown }).TEST_DYNAMO_PORT;
  if (typeof port !== 'number')
    throw new Error('no DynamoDB Local for this run: run the tests through jest (npm test)');
  return `http://127.0.0.1:${port}`;
}

/** Fresh tables on the run's DynamoDB Local, under a prefix no other test file uses. */
export async function freshTables() {
  const endpoint = testDynamoEndpoint();
  // Generous bounds: tests share two cores with DynamoDB Local.
  const doc = createDocumentClient({ endpoint, requestTimeoutMs: 5000, connectionTimeoutMs: 2000 });
  const names = tableNames(`t${randomUUID().slice(0, 8)}-`);
  await ensureTables(doc as unknown as DynamoDBClient, names);
  return { doc, names };
}

/** A client for the run's DynamoDB Local (table administration in tests). */
export function dynamoClient(): DynamoDBClient {
  return createDocumentClient({
    endpoint: testDynamoEndpoint(),
    requestTimeoutMs: 10_000,
  }) as unknown as DynamoDBClient;
}

/** Every record the cases table's stream holds, as DynamoDB Local delivers them. */
export async function tableStreamRecords(doc: DynamoDBClient, table: string) {
  const { Table } = await doc.send(new DescribeTableCommand({ TableName: table }));
  const streams = new DynamoDBStreamsClient({
    endpoint: testDynamoEndpoint(),
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const { StreamDescription } = await streams.send(
    new DescribeStreamCommand({ StreamArn: Table!.LatestStreamArn! }),
  );
  const records = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let { ShardIterator } = await streams.send(
      new GetStreamIteratorCommand({
        StreamArn: Table!.LatestStreamArn!,
        ShardId: shard.ShardId!,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    for (let i = 0; ShardIterator && i < 20; i++) {
      const page = await streams.send(new GetStreamRecordsCommand({ ShardIterator }));
      records.push(...(page.Records ?? []));
      if (!page.Records?.length) break;
      ShardIterator = page.NextShardIterator;
    }
  }
  streams.destroy();
  return records;
}
