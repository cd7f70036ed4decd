import { join } from 'node:path';
import * as z from 'zod/mini';
import { parseKinesisRecord } from '../../shared/adapters/connect/stream-records';
import { DynamoMetricsStore } from '../../shared/adapters/dynamodb/metrics-store';
import { readCompiledConfig } from '../../shared/config/compiled';
import { aggregateBatch } from '../../shared/domain/metrics/aggregate';
import { parseInput } from '../../shared/domain/schema';
import { documentClientFromEnv } from '../../shared/runtime/dynamodb';
import { ENV, required } from '../../shared/runtime/env';
import { createLogger } from '../../shared/runtime/logger';

/**
 * Consumes the event stream (contact records, agent events, contact events, case events) into the metrics
 * table, exactly once per event, and reports the record to retry from when one fails.
 */
const env = process.env;
const { deployment, calendar } = readCompiledConfig(env[ENV.CONFIG_FILE] ?? join(__dirname, 'config.json'));
const queueDepartments = new Map(JSON.parse(env[ENV.QUEUE_DEPARTMENTS] ?? '[]') as [string, string][]);
const logger = createLogger('metrics-aggregator');
const store = new DynamoMetricsStore(
  documentClientFromEnv(env, { requestTimeoutMs: 2000 }),
  required(env, ENV.METRICS_TABLE),
  { retentionDays: deployment.retentionDays },
);
// The local date of an instant changes only at a minute boundary: remember it per minute (time-zone rules
// are costly to apply to every record of a large batch).
const dates = new Map<number, string>();
const localDate = (at: string) => {
  const minute = Math.floor(Date.parse(at) / 60_000);
  let date = dates.get(minute);
  if (!date) {
    if (dates.size > 10_000) dates.clear();
    date = calendar.local(new Date(at)).date;
    dates.set(minute, date);
  }
  return date;
};
const settings = {
  serviceLevelSeconds: deployment.serviceLevelSeconds,
  departmentOf: (queue: string) => queueDepartments.get(queue),
  localDate,
};

const kinesisEvent = z.object({
  Records: z.array(
    z.object({
      /** `shardId-…:sequence`: the shard a batch came from, whose clock the batch advances. */
      eventID: z.optional(z.string()),
      kinesis: z.object({ data: z.string(), sequenceNumber: z.string() }),
    }),
  ),
});
const clock = { now: () => new Date() };

export const handler = async (event: unknown) => {
  const { Records } = parseInput(kinesisEvent, event);
  const parsed = Records.map(parseKinesisRecord);
  const shard = Records[0]?.eventID?.split(':')[0];
  const report = await aggregateBatch(parsed, {
    store,
    settings,
    concurrency: 16,
    ...(shard ? { shard, now: clock.now } : {}),
  });
  for (const record of parsed)
    if (record.status === 'unknown')
      logger.warn('unknown record kind skipped', { sequenceNumber: record.id, shape: record.shape });
    else if (record.status === 'invalid')
      logger.warn('invalid record skipped', { sequenceNumber: record.id, reason: record.reason });
  const { failures, ...counts } = report;
  if (failures.length)
    logger.error('batch stopped', {
      sequenceNumber: failures[0]!.id,
      reason: failures[0]!.reason,
      ...counts,
    });
  else logger.info('batch applied', { records: Records.length, ...counts });
  return { batchItemFailures: failures.map((f) => ({ itemIdentifier: f.id })) };
};
