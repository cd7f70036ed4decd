import * as z from 'zod/mini';
import {
  caseEventOf,
  caseEventPayload,
  skippedCaseChange,
  type CaseStreamRecord,
} from '../../shared/adapters/dynamodb/case-stream';
import type { StreamPublisher } from '../../shared/adapters/kinesis/publisher';
import { parseInput } from '../../shared/domain/schema';
import type { Runtime } from '../../shared/runtime/runtime';

const streamEvent = z.object({
  Records: z.array(
    z.object({ eventName: z.optional(z.string()), dynamodb: z.optional(z.record(z.string(), z.unknown())) }),
  ),
});

/**
 * Publishes case events to the event stream from the cases table's own stream, so every committed change is
 * published at least once (the aggregator makes it count once). On failure, the batch is retried from its
 * first record.
 */
export function makeCaseEventsHandler(
  runtime: Pick<Runtime, 'logger'>,
  ports: { publisher: StreamPublisher },
) {
  const { logger } = runtime;
  const { publisher } = ports;
  return async (event: unknown) => {
    const { Records } = parseInput(streamEvent, event);
    const records = Records as CaseStreamRecord[];
    const events = records.map(caseEventOf).filter((e) => e !== undefined);
    for (const record of records) {
      const reason = skippedCaseChange(record);
      if (reason) logger.warn('record skipped', { sequenceNumber: record.dynamodb?.SequenceNumber, reason });
    }
    try {
      await publisher.publish(events.map((e) => ({ partitionKey: e.ticket, data: caseEventPayload(e) })));
    } catch (error) {
      logger.error('publish failed', { records: records.length, errorType: (error as Error)?.name });
      const first = records[0]?.dynamodb?.SequenceNumber;
      return { batchItemFailures: first ? [{ itemIdentifier: first }] : [] };
    }
    logger.info('published', { records: records.length, events: events.length });
    return { batchItemFailures: [] };
  };
}
