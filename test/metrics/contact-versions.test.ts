import fc from 'fast-check';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { InMemoryMetricsStore } from '../../shared/adapters/memory/metrics-store';
import { DynamoMetricsStore } from '../../shared/adapters/dynamodb/metrics-store';
import { parseKinesisRecord } from '../../shared/adapters/connect/stream-records';
import { aggregateBatch } from '../../shared/domain/metrics/aggregate';
import type { MetricsSettings } from '../../shared/domain/metrics/effects';
import { contributionDiff, type Addition } from '../../shared/domain/metrics/versions';
import type { MetricsStore } from '../../shared/domain/ports';
import { freshTables } from '../support/dynamo';
import { asKinesis, earlierVersion, morning, recordedMorning, withEarlierVersions } from '../support/morning';

const settings: MetricsSettings = {
  serviceLevelSeconds: 20,
  departmentOf: (queue) => queue.split('/')[1],
  localDate: (at) => new Date(Date.parse(at) - 5 * 3600_000).toISOString().slice(0, 10),
};
/** A wall clock the afternoon after the recorded days: their contacts are inside the version window. */
const afternoon = () => new Date('2026-11-24T22:00:00.000Z');

/**
 * Delivers payloads in batches as one shard (in runs, when a shard is named) or as events one at a time;
 * a batch that fails is delivered again from the record it names, as Lambda does.
 */
async function run(store: MetricsStore, payloads: readonly unknown[], batchSize = 100, shard?: string) {
  const records = asKinesis(payloads).map(parseKinesisRecord);
  let retries = 0;
  for (let i = 0; i < records.length;) {
    const report = await aggregateBatch(records.slice(i, i + batchSize), {
      store,
      settings,
      concurrency: 8,
      now: afternoon,
      ...(shard ? { shard } : {}),
    });
    if (!report.failures.length) i += batchSize;
    else {
      expect(report.failures[0]!.reason).toBe('ConcurrentWrite');
      expect(++retries).toBeLessThan(50);
      i = records.findIndex((r) => r.id === report.failures[0]!.id);
    }
  }
}

/** A fixed shuffle of a list (late deliveries, out of order). */
const shuffle = <T>(items: readonly T[], seed: number) =>
  items
    .map((item, i) => [(i * 7919 + seed) % items.length, i, item] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .map(([, , item]) => item);

/* eslint-disable @typescript-eslint/no-explicit-any -- contact records are raw Connect JSON */
const queued = (day: ReturnType<typeof morning>) =>
  day.payloads.filter((p: any) => typeof p?.ContactId === 'string' && p.Queue?.EnqueueTimestamp) as any[];
const answered = (day: ReturnType<typeof morning>) => queued(day).filter((p) => p.Agent);
/* eslint-enable @typescript-eslint/no-explicit-any */

describe('the difference between two versions of a contact', () => {
  const add = (queue: string, start: string, counters: Addition['counters']): Addition => ({
    op: 'add',
    scope: { dimension: 'queue', id: queue, channel: 'VOICE' },
    period: '15m',
    start,
    counters,
  });

  it('is nothing when the versions count the same, and the change of a counter when one changed', () => {
    const v1 = [add('q/tax', '10:00', { offered: 1, answered: 1, handleSecondsSum: 100 })];
    expect(contributionDiff(v1, v1)).toEqual([]);
    const v2 = [add('q/tax', '10:00', { offered: 1, answered: 1, handleSecondsSum: 160 })];
    expect(contributionDiff(v1, v2)).toEqual([add('q/tax', '10:00', { handleSecondsSum: 60 })]);
  });

  it('moves the counts when a version puts the contact in another queue', () => {
    const v1 = [add('q/tax', '10:00', { offered: 1, abandoned: 1 })];
    const v2 = [add('q/permits', '10:00', { offered: 1, answered: 1 })];
    expect(contributionDiff(v1, v2)).toEqual([
      add('q/tax', '10:00', { offered: -1, abandoned: -1 }),
      add('q/permits', '10:00', { offered: 1, answered: 1 }),
    ]);
    expect(contributionDiff([], v2)).toEqual(v2);
  });
});

describe('a contact whose record arrives in several versions', () => {
  const day = morning(120, 5);
  const contacts = answered(day);

  it.each([['one event at a time'], ['in runs of a shard']])(
    'counts once, in its newest version, whatever mix of versions, repeats and order arrives (%s)',
    async (how) => {
      const shard = how === 'in runs of a shard' ? 'shardId-1' : undefined;
      const single = new InMemoryMetricsStore();
      await run(single, day.payloads);
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              contact: fc.nat(contacts.length - 1),
              versions: fc.integer({ min: 1, max: 3 }),
              copies: fc.integer({ min: 1, max: 3 }),
            }),
            { maxLength: 12 },
          ),
          fc.nat(10_000),
          fc.integer({ min: 1, max: 40 }),
          async (mixes, seed, batchSize) => {
            const extra = mixes.flatMap(({ contact, versions, copies }) =>
              Array.from({ length: versions - 1 }, (_, k) =>
                earlierVersion(contacts[contact], (k + 1) * 45),
              ).flatMap((v) => Array.from({ length: copies }, () => v)),
            );
            const repeats = mixes.flatMap(({ contact, copies }) =>
              Array.from({ length: copies - 1 }, () => contacts[contact]),
            );
            const store = new InMemoryMetricsStore();
            await run(store, shuffle([...day.payloads, ...extra, ...repeats], seed), batchSize, shard);
            expect(store.figures()).toEqual(single.figures());
          },
        ),
        { numRuns: 40 },
      );
    },
  );

  it('gives the recorded morning’s figures when a fifth of its contacts arrive as two or three versions', async () => {
    const recorded = recordedMorning();
    const single = new InMemoryMetricsStore();
    await run(single, recorded.payloads);
    const versioned = withEarlierVersions(recorded.payloads, 0.2);
    const extra = versioned.length - recorded.payloads.length;
    expect(extra).toBeGreaterThan(80);
    const store = new InMemoryMetricsStore();
    await run(store, shuffle(versioned, 3), 50);
    expect(store.figures()).toEqual(single.figures());
    expect(store.live(recorded.end)).toEqual(single.live(recorded.end));
  });

  it('does not count a record of a contact queued before the version window', async () => {
    const store = new InMemoryMetricsStore();
    const records = asKinesis(day.payloads).map(parseKinesisRecord);
    const later = () => new Date('2029-01-15T00:00:00.000Z'); // 26 months after the morning
    const report = await aggregateBatch(records, { store, settings, now: later });
    expect(report.failures).toEqual([]);
    expect(report.expired).toBe(queued(day).length);
    expect(report.expired).toBeGreaterThan(0);
    expect(store.figures()).toEqual([]);
  });
});

describe('contact versions on DynamoDB Local', () => {
  /** Every interval row of a metrics table: its key and its counters. */
  async function intervals(doc: Awaited<ReturnType<typeof freshTables>>['doc'], table: string) {
    const rows: Record<string, Record<string, unknown>> = {};
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
      for (const { pk, sk, expiresAt: _e, ...rest } of page.Items ?? [])
        if (String(pk).startsWith('INTERVAL#')) rows[`${pk}|${sk}`] = rest;
      start = page.LastEvaluatedKey;
    } while (start);
    return rows;
  }

  it.each([['one event at a time'], ['in runs of two shards']])(
    'three versions, each twice, shuffled over batches and two parallel consumers: the figures of the last version once (%s)',
    async (how) => {
      const day = morning(30, 9);
      const [contact] = answered(day);
      const others = day.payloads.filter((p) => p !== contact);
      const { doc, names } = await freshTables();
      const once = new DynamoMetricsStore(doc, names.metrics);
      await run(once, [...others, contact]);

      const second = await freshTables();
      const store = new DynamoMetricsStore(second.doc, second.names.metrics);
      const versions = [
        earlierVersion(contact, 180, { queue: 'arn:queue/permits', agent: 'arn:agent/x' }),
        earlierVersion(contact, 60),
        contact,
      ];
      const delivered = shuffle([...others, ...versions, ...versions], 17);
      const consumer = (part: unknown[], shard: string) =>
        run(store, part, 7, how === 'one event at a time' ? undefined : shard);
      await Promise.all([
        consumer(
          delivered.filter((_, i) => i % 2 === 0),
          'shardId-0',
        ),
        consumer(
          delivered.filter((_, i) => i % 2 === 1),
          'shardId-1',
        ),
      ]);

      const expected = await intervals(doc, names.metrics);
      const actual = await intervals(second.doc, second.names.metrics);
      // Counters equal; the longest wait of the interval the first version was recorded in is a maximum over
      // every version seen (Connect does not change a contact's time in queue once it has left it).
      const counters = (rows: typeof expected) =>
        Object.fromEntries(
          Object.entries(rows)
            .map(([k, { longestWaitSeconds: _w, ...c }]) => [
              k,
              Object.fromEntries(Object.entries(c).filter(([, v]) => v !== 0)),
            ])
            .filter(([, c]) => Object.keys(c as object).length),
        );
      expect(counters(actual)).toEqual(counters(expected));
    },
  );

  it('a newer version in another queue moves the counts; an older one arriving after it changes nothing', async () => {
    const day = morning(10, 21);
    const contact = answered(day).find((p) => p.Channel === 'VOICE');
    const { doc, names } = await freshTables();
    const store = new DynamoMetricsStore(doc, names.metrics);
    const queue = contact.Queue.ARN as string;
    const first = earlierVersion(contact, 120, { queue: 'arn:queue/permits', agent: 'arn:agent/x' });
    const offered = async (q: string) =>
      (
        await store.intervalRows(
          { dimension: 'queue', id: q, channel: 'VOICE' },
          'day',
          '2026-11-24',
          '2026-11-24',
        )
      )[0]?.offered ?? 0;
    await run(store, [first]);
    expect([await offered('arn:queue/permits'), await offered(queue)]).toEqual([1, 0]);
    await run(store, [contact]);
    expect([await offered('arn:queue/permits'), await offered(queue)]).toEqual([0, 1]);
    await run(store, [first, contact]);
    expect([await offered('arn:queue/permits'), await offered(queue)]).toEqual([0, 1]);
  });
});
