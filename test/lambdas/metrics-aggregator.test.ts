import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoMetricsStore } from '../../shared/adapters/dynamodb/metrics-store';
import { compileConfig } from '../../shared/config/load';
import { asKinesis, morning } from '../support/morning';
import { freshTables } from '../support/dynamo';

type Handler = (event: unknown) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

async function load(table: string): Promise<Handler> {
  const configFile = join(mkdtempSync(join(tmpdir(), 'ventanilla-config-')), 'config.json');
  writeFileSync(configFile, JSON.stringify(compileConfig('config/city-hall')));
  Object.assign(process.env, {
    CONFIG_FILE: configFile,
    METRICS_TABLE: table,
    DYNAMODB_ENDPOINT: process.env.TEST_DYNAMO_ENDPOINT,
    QUEUE_DEPARTMENTS: JSON.stringify([['arn:queue/tax', 'tax']]),
  });
  let handler: Handler | undefined;
  await jest.isolateModulesAsync(async () => {
    handler = (await import('../../lambdas/metrics-aggregator/handler')).handler as Handler;
  });
  return handler!;
}

describe('metrics-aggregator function', () => {
  const silence = () =>
    [process.stdout, process.stderr].map((s) => jest.spyOn(s, 'write').mockImplementation(() => true));

  it('applies a Kinesis batch and reports no failures; a redelivery changes nothing', async () => {
    const { doc, names } = await freshTables();
    const handler = await load(names.metrics);
    const day = morning(60, 3);
    const event = { Records: asKinesis(day.payloads) };
    const spies = silence();
    try {
      expect(await handler(event)).toEqual({ batchItemFailures: [] });
      expect(await handler(event)).toEqual({ batchItemFailures: [] });
    } finally {
      spies.forEach((s) => s.mockRestore());
    }
    const store = new DynamoMetricsStore(doc, names.metrics);
    const answered = day.truth.filter((c) => c.queue === 'arn:queue/tax' && !c.stillWaiting).length;
    const rows = await store.intervalRows(
      { dimension: 'department', id: 'tax', channel: 'VOICE' },
      'day',
      '2026-11-24',
      '2026-11-24',
    );
    const voice = day.truth.filter(
      (c) => c.queue === 'arn:queue/tax' && !c.stillWaiting && c.channel === 'VOICE',
    ).length;
    expect(answered).toBeGreaterThan(0);
    expect(rows[0]).toMatchObject({ offered: voice });
  });

  it('reports the first record it could not apply, so the stream retries from there', async () => {
    const handler = await load('no-such-table');
    const records = asKinesis(morning(5, 1).payloads);
    const spies = silence();
    try {
      const result = await handler({ Records: records });
      expect(result.batchItemFailures).toEqual([{ itemIdentifier: records[0]!.kinesis.sequenceNumber }]);
    } finally {
      spies.forEach((s) => s.mockRestore());
    }
  });
});
