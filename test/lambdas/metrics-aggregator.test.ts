import { DynamoMetricsStore } from '../../shared/adapters/dynamodb/metrics-store';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client';
import { loadConfig } from '../../shared/config/load';
import { createRuntime } from '../../shared/runtime/runtime';
import { makeMetricsAggregatorHandler } from '../../lambdas/metrics-aggregator/function';
import { asKinesis, morning } from '../support/morning';
import { freshTables, testDynamoEndpoint } from '../support/dynamo';

type Handler = (event: unknown) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

/** The function composed as at a cold start, on the given metrics table. */
function load(table: string): Handler {
  return makeMetricsAggregatorHandler(
    createRuntime({
      service: 'metrics-aggregator',
      config: loadConfig('config/city-hall'),
      doc: createDocumentClient({ endpoint: testDynamoEndpoint(), requestTimeoutMs: 2000 }),
      settings: { metricsTable: table, queueDepartments: [['arn:queue/tax', 'tax']] },
      // The afternoon of the morning replayed: its contact records are well inside the version window.
      clock: { now: () => new Date('2026-11-24T22:00:00.000Z') },
    }),
  );
}

describe('metrics-aggregator function', () => {
  const silence = () =>
    [process.stdout, process.stderr].map((s) => jest.spyOn(s, 'write').mockImplementation(() => true));

  it('applies a Kinesis batch and reports no failures; a redelivery changes nothing', async () => {
    const { doc, names } = await freshTables();
    const handler = load(names.metrics);
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
    const handler = load('no-such-table');
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
