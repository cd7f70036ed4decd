import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamoLocal } from '../local/dynamodb-local';
import { createDocumentClient } from '../shared/adapters/dynamodb/client';
import { DynamoMetricsStore } from '../shared/adapters/dynamodb/metrics-store';
import { ensureTables, tableNames } from '../shared/adapters/dynamodb/setup';
import { parseKinesisRecord } from '../shared/adapters/connect/stream-records';
import { forEachConcurrently } from '../shared/domain/concurrency';
import { aggregateBatch } from '../shared/domain/metrics/aggregate';
import type { MetricsSettings } from '../shared/domain/metrics/effects';
import { asKinesis, morning } from '../test/support/morning';
import { startCountingProxy } from './counting-proxy';
import { progress, report, round } from './harness';

const CONTACTS = 3000;
const SHARDS = 2;
const BATCH = 500;

const settings: MetricsSettings = {
  serviceLevelSeconds: 20,
  departmentOf: (queue) => queue.split('/')[1],
  localDate: (at) => new Date(Date.parse(at) - 5 * 3600_000).toISOString().slice(0, 10),
};

/**
 * The metrics aggregator on DynamoDB Local, as the stream feeds it (two shards read at once, batches of 500):
 * events a second, one event at a time (a transaction per event) against runs of a shard (a transaction per run
 * of up to 100 writes), with the requests each makes per event; and against the floor of single conditional
 * updates (16 at a time) measured in the same run, as a ratio.
 */
export async function run(): Promise<void> {
  const dynamo = await startDynamoLocal();
  const proxy = await startCountingProxy(dynamo.endpoint);
  const doc = createDocumentClient({ endpoint: proxy.endpoint, requestTimeoutMs: 30_000 });
  try {
    const { payloads } = morning(CONTACTS, 11);
    progress(`aggregator: ${payloads.length} events of ${CONTACTS} contacts`);

    const names = tableNames('bench-floor-');
    await ensureTables(doc as unknown as DynamoDBClient, names);
    const floorWrites = 6000;
    const t0 = performance.now();
    await forEachConcurrently(
      Array.from({ length: floorWrites }, (_, i) => i),
      16,
      async (i) => {
        await doc.send(
          new UpdateCommand({
            TableName: names.metrics,
            Key: { pk: `FLOOR#${i % 500}`, sk: 'X' },
            UpdateExpression: 'ADD n :one',
            ConditionExpression: 'attribute_not_exists(stop)',
            ExpressionAttributeValues: { ':one': 1 },
          }),
        );
      },
    );
    const floor = floorWrites / ((performance.now() - t0) / 1000);
    report({ name: 'aggregator.conditional_write_floor', value: Math.round(floor), unit: 'writes/s' });

    const rates: Record<string, number> = {};
    for (const how of ['per_event', 'runs'] as const) {
      const tables = tableNames(`bench-agg-${how}-`);
      await ensureTables(doc as unknown as DynamoDBClient, tables);
      const store = new DynamoMetricsStore(doc, tables.metrics);
      // Records go to shards as Connect's partition key sends them: by contact (or agent).
      const shards = Array.from({ length: SHARDS }, () => [] as unknown[]);
      payloads.forEach((p, i) => {
        const key = String((p as { ContactId?: string }).ContactId ?? i);
        let h = 0;
        for (const c of key) h = (h * 31 + c.charCodeAt(0)) | 0;
        shards[Math.abs(h) % SHARDS]!.push(p);
      });
      proxy.reset();
      const start = performance.now();
      await Promise.all(
        shards.map(async (part, s) => {
          const records = asKinesis(part).map(parseKinesisRecord);
          for (let i = 0; i < records.length;) {
            const result = await aggregateBatch(records.slice(i, i + BATCH), {
              store,
              settings,
              concurrency: 16,
              now: () => new Date('2026-11-24T22:00:00.000Z'),
              ...(how === 'runs' ? { shard: `shardId-${s}` } : {}),
            });
            i = result.failures.length
              ? records.findIndex((r) => r.id === result.failures[0]!.id)
              : i + BATCH;
          }
        }),
      );
      const seconds = (performance.now() - start) / 1000;
      rates[how] = payloads.length / seconds;
      report({
        name: `aggregator.${how}.events_per_s`,
        value: Math.round(rates[how]),
        unit: 'events/s',
        events: payloads.length,
        seconds: round(seconds, 1),
        requestsPerEvent: round(proxy.total() / payloads.length),
        requests: Object.fromEntries(proxy.counts),
      });
    }
    report({
      name: 'aggregator.runs.ratio_to_per_event',
      value: round(rates.runs! / rates.per_event!, 2),
      unit: 'ratio',
    });
    report({
      name: 'aggregator.runs.events_per_conditional_write',
      value: round(rates.runs! / floor, 2),
      unit: 'ratio',
    });
  } finally {
    await proxy.close();
    await dynamo.stop();
  }
}
