import { QueueMap } from '../../shared/domain/departments';
import { DynamoMetricsStore } from '../../shared/adapters/dynamodb/metrics-store';
import { InMemoryMetricsStore } from '../../shared/adapters/memory/metrics-store';
import { parseKinesisRecord } from '../../shared/adapters/connect/stream-records';
import { aggregateBatch } from '../../shared/domain/metrics/aggregate';
import type { MetricsSettings } from '../../shared/domain/metrics/effects';
import { asKinesis, morning, QUEUES } from '../support/morning';
import { freshTables } from '../support/dynamo';

const settings: MetricsSettings = {
  serviceLevelSeconds: 20,
  departmentOf: (queue) => queue.split('/')[1],
  localDate: (at) => new Date(Date.parse(at) - 5 * 3600_000).toISOString().slice(0, 10),
};
const day = morning(240, 11);

describe('metrics store on DynamoDB Local', () => {
  it('stores exactly the in-memory figures, with duplicates delivered by parallel batches', async () => {
    const { doc, names } = await freshTables();
    const store = new DynamoMetricsStore(doc, names.metrics);
    const reference = new InMemoryMetricsStore();
    const records = asKinesis(day.payloads).map(parseKinesisRecord);
    await aggregateBatch(records, { store: reference, settings });

    // Two consumers (parallelisation factor 2) each get the whole stream in chunks, overlapping everywhere.
    const chunks = (offset: number) => {
      const out = [];
      for (let i = offset; i < records.length; i += 50) out.push(records.slice(i, i + 50));
      return out;
    };
    const consume = async (offset: number) => {
      for (const chunk of chunks(offset)) {
        const report = await aggregateBatch(chunk, { store, settings, concurrency: 8 });
        expect(report.failures).toEqual([]);
      }
    };
    await Promise.all([consume(0), consume(25)]);

    for (const f of reference.figures()) {
      const [row] = await store.intervalRows(f.scope, f.period, f.start, f.start);
      const { start: _start, ...counters } = row as Record<string, unknown>;
      expect(counters).toEqual({ ...f.counters, longestWaitSeconds: f.longestWaitSeconds });
    }
    const now = day.end;
    const live = reference.live(now);
    const reader = new DynamoMetricsStore(doc, names.metrics, {
      queues: new QueueMap(QUEUES.map((q) => [q, q])),
    });
    const stored = await reader.live(now);
    for (const queue of QUEUES)
      expect(stored.queues.find((q) => q.queue === queue)).toMatchObject(
        live.queues[queue] ?? { waiting: 0, oldestWaitSeconds: 0 },
      );
    expect(await store.agents()).toEqual(live.agents);
  });

  it('adds nothing when an event is delivered again', async () => {
    const { doc, names } = await freshTables();
    const store = new DynamoMetricsStore(doc, names.metrics);
    const effects = [
      {
        op: 'add' as const,
        scope: { dimension: 'queue' as const, id: 'q', channel: 'VOICE' },
        period: '15m' as const,
        start: '2026-11-24T13:00:00.000Z',
        counters: { offered: 1 },
      },
    ];
    expect(await store.applyOnce('k1', effects)).toBe(true);
    expect(await store.applyOnce('k1', effects)).toBe(false);
    const [row] = await store.intervalRows(effects[0]!.scope, '15m', effects[0]!.start, effects[0]!.start);
    expect(row).toMatchObject({ offered: 1 });
  });
});
