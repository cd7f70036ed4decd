import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { startDynamoLocal } from '../../local/dynamodb-local';
import { alive } from '../../local/processes';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client';

const dynamoClient = (endpoint: string) => createDocumentClient({ endpoint, requestTimeoutMs: 10_000 });

describe('DynamoDB Local on a data folder', () => {
  it('stops the one an earlier start left running on the folder before it starts, and keeps the data', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ventanilla-ddb-'));
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const first = await startDynamoLocal({ dataDir });
    try {
      const pid = Number(readFileSync(join(dataDir, 'ventanilla-dynamodb.pid'), 'utf8'));
      expect(alive(pid)).toBe(true);
      const client = dynamoClient(first.endpoint);
      await client.send(
        new CreateTableCommand({
          TableName: 'kept',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        }),
      );
      client.destroy();
      // The start that launched it is gone without stopping it (killed): the next start finds it and stops it.
      const second = await startDynamoLocal({ dataDir });
      try {
        expect(alive(pid)).toBe(false);
        expect(spy.mock.calls.map((c) => String(c[0])).join('')).toContain(
          `DynamoDB Local (pid ${pid}) was still running on ${dataDir}`,
        );
        const again = dynamoClient(second.endpoint);
        expect((await again.send(new ListTablesCommand({}))).TableNames).toContain('kept');
        again.destroy();
      } finally {
        await second.stop();
      }
    } finally {
      await first.stop();
      spy.mockRestore();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
