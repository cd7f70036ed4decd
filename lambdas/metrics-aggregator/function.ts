import * as z from 'zod/mini';
import { parseKinesisRecord } from '../../shared/adapters/connect/stream-records';
import { DynamoCallbackStore } from '../../shared/adapters/dynamodb/callback-store';
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
 * table, exactly once per event, and reports the record to retry from when one fails. A callback contact's
 * record also ends the request for it, so the number may ask for another (best effort: a request also
 * lapses on its own once every attempt is past).
 */
export function makeMetricsAggregatorHandler(runtime: Runtime) {
  const { deployment, calendar } = runtime.config;
  const { logger, clock } = runtime;
  const queues = new QueueMap(runtime.settings.queueDepartments);
  const store = new DynamoMetricsStore(runtime.doc, need(runtime.settings, 'metricsTable'), {
    detailDays: deployment.retention.metricsDetail.days,
    aggregateDays: deployment.retention.metricsAggregate.days,
  });
  const callbacks = deployment.callbacks
    ? new DynamoCallbackStore(runtime.doc, need(runtime.settings, 'citizensTable'))
    : undefined;
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
    const failedFrom = report.failures.length ? parsed.findIndex((r) => r.id === report.failures[0]!.id) : -1;
    const applied = failedFrom < 0 ? parsed : parsed.slice(0, failedFrom);
    await Promise.all(
      applied.map(async (record) => {
        const requestedBy =
          record.status === 'event' && record.event.kind === 'contact-record'
            ? record.event.callbackLeg?.requestedBy
            : undefined;
        if (!requestedBy || !callbacks) return;
        await callbacks.endFor(requestedBy, clock.now().toISOString()).catch((error: unknown) => {
          logger.warn('callback request not ended', { contactId: requestedBy, error: (error as Error).name });
        });
      }),
    );
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
