import * as z from 'zod/mini';
import { parseKinesisRecord } from '../../shared/adapters/connect/stream-records';
import { DynamoMetricsStore } from '../../shared/adapters/dynamodb/metrics-store';
import { aggregateBatch } from '../../shared/domain/metrics/aggregate';
import { localDateByMinute } from '../../shared/domain/calendar';
import { QueueMap } from '../../shared/domain/departments';
import { parseInput } from '../../shared/domain/schema';
import { need, type Runtime } from '../../shared/runtime/runtime';

const kinesisEvent = z.object({
  Records: z.array(
    z.object({
      /** `shardId-…:sequence`: the shard a batch came from, whose clock the batch advances. */
      eventID: z.optional(z.string()),
      kinesis: z.object({ data: z.string(), sequenceNumber: z.string() }),
    }),
  ),
});

/**
 * Consumes the event stream (contact records, agent events, contact events, case events) into the metrics
 * table, exactly once per event, and reports the record to retry from when one fails.
 */
export function makeMetricsAggregatorHandler(runtime: Runtime) {
  const { deployment, calendar } = runtime.config;
  const { logger, clock } = runtime;
  const queues = new QueueMap(runtime.settings.queueDepartments);
  const store = new DynamoMetricsStore(runtime.doc, need(runtime.settings, 'metricsTable'), {
    retentionDays: deployment.retentionDays,
  });
  const settings = {
    serviceLevelSeconds: deployment.serviceLevelSeconds,
    departmentOf: (queue: string) => queues.departmentOf(queue),
    localDate: localDateByMinute(calendar),
  };
  return async (event: unknown) => {
    const { Records } = parseInput(kinesisEvent, event);
    const parsed = Records.map(parseKinesisRecord);
    const shard = Records[0]?.eventID?.split(':')[0];
    const report = await aggregateBatch(parsed, {
      store,
      settings,
      concurrency: 16,
      now: clock.now,
      ...(shard ? { shard } : {}),
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
}
