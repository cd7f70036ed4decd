import { DynamoCallbackStore } from '../../shared/adapters/dynamodb/callback-store';
import { DynamoMetricsStore } from '../../shared/adapters/dynamodb/metrics-store';
import { contactRecord } from '../../local/simulator/connect-records';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client';
import { loadConfig } from '../../shared/config/load';
import { createRuntime } from '../../shared/runtime/runtime';
import { makeMetricsAggregatorHandler } from '../../lambdas/metrics-aggregator/function';
import { asKinesis, morning } from '../support/morning';
import { freshTables, testDynamoEndpoint } from '../support/dynamo';

type Handler = (event: unknown) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

/** The function composed as at a cold start, on the given metrics table. */
function load(table: string, citizensTable = 'no-such-table'): Handler {
  return makeMetricsAggregatorHandler(
    createRuntime({
      service: 'metrics-aggregator',
      config: loadConfig('config/city-hall'),
      doc: createDocumentClient({ endpoint: testDynamoEndpoint(), requestTimeoutMs: 2000 }),
      settings: { metricsTable: table, citizensTable, queueDepartments: [['arn:queue/tax', 'tax']] },
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
    const handler = load(names.metrics, names.citizens);
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

  it("ends a number's pending callback when its callback contact's record arrives, and no other", async () => {
    const { doc, names } = await freshTables();
    const handler = load(names.metrics, names.citizens);
    const callbacks = new DynamoCallbackStore(doc, names.citizens);
    const now = new Date('2026-11-24T15:00:00.000Z');
    const until = new Date(now.getTime() + 3600_000).toISOString();
    const ask = (number: string, contactId: string) =>
      callbacks.request(
        { number, contactId, queue: 'arn:queue/tax', requestedAt: now.toISOString(), until },
        now.toISOString(),
      );
    expect(await ask('+50760000001', 'in-1')).toBeUndefined();
    expect(await ask('+50760000002', 'in-2')).toBeUndefined();
    const at = Date.parse('2026-11-24T15:10:00.000Z');
    const callback = contactRecord(
      { contactId: 'in-1-cb', channel: 'VOICE', phone: '+50760000001', initiatedAt: at, callbackOf: 'in-1' },
      {
        connectedToSystemAt: at + 60_000,
        disconnectedAt: at + 300_000,
        lastUpdateAt: at + 330_000,
        disconnectReason: 'CUSTOMER_DISCONNECT',
        queue: { arn: 'arn:queue/tax', enqueuedAt: at, dequeuedAt: at + 30_000 },
        attributes: { queueArn: 'arn:queue/tax', callbackOffered: 'true', callbackRequested: 'true' },
      },
    );
    const spies = silence();
    try {
      expect(await handler({ Records: asKinesis([callback]) })).toEqual({ batchItemFailures: [] });
    } finally {
      spies.forEach((s) => s.mockRestore());
    }
    const check = new Date('2026-11-24T15:20:00.000Z').toISOString();
    expect(await callbacks.pending('+50760000001', check)).toBeUndefined();
    expect(await callbacks.pending('+50760000002', check)).toMatchObject({ contactId: 'in-2' });
  });
});
