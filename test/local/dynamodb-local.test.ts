import { spawn, spawnSync } from 'node:child_process';
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

describe('DynamoDB Local and the start that launched it', () => {
  it('ends within seconds when that process is killed outright', async () => {
    // A process that starts DynamoDB Local in memory, says on which port, and is then killed with SIGKILL.
    const script =
      "const { startDynamoLocal } = require('./local/dynamodb-local');" +
      'startDynamoLocal().then((d) => console.log(`port ${d.port}`));';
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    const port = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const found = /port (\d+)/.exec(out);
        if (found) resolve(found[1]!);
      });
      child.once('exit', () => reject(new Error(`exited before starting DynamoDB Local: ${out}`)));
    });
    const javaOnPort = () =>
      spawnSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
        .stdout.split('\n')
        .filter(
          (line) => line.includes('DynamoDBLocal') && line.includes(`-port ${port}`) && line.includes('java'),
        );
    expect(javaOnPort().length).toBeGreaterThan(0);
    child.kill('SIGKILL');
    const deadline = Date.now() + 10_000;
    while (javaOnPort().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(javaOnPort()).toEqual([]);
  }, 60_000);
});
