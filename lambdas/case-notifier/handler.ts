import * as z from 'zod/mini';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { caseFromItem } from '../../shared/adapters/dynamodb/case-items';
import { DynamoCaseRepository } from '../../shared/adapters/dynamodb/case-repository';
import { DynamoCitizenRepository } from '../../shared/adapters/dynamodb/citizen-repository';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client';
import { DynamoOutbox } from '../../shared/adapters/dynamodb/outbox';
import { communicateAnswer } from '../../shared/domain/messaging';
import { parseInput } from '../../shared/domain/schema';
import { ENV, required } from '../../shared/runtime/env';
import { createLogger } from '../../shared/runtime/logger';

/**
 * Tells citizens their answer as soon as it exists: reads the cases table's stream, and for each case that
 * reached PENDING_COMMUNICATION sends the answer on the citizen's messaging channel and marks it
 * COMMUNICATED. Idempotent (the message id is ticket + version); reports the record to retry from.
 */
const env = process.env;
const logger = createLogger('case-notifier');
const doc = createDocumentClient({
  ...(env[ENV.DYNAMODB_ENDPOINT] ? { endpoint: env[ENV.DYNAMODB_ENDPOINT] } : {}),
  ...(env[ENV.AWS_REGION] ? { region: env[ENV.AWS_REGION] } : {}),
  requestTimeoutMs: 2000,
});
const tables = { cases: required(env, ENV.CASES_TABLE), citizens: required(env, ENV.CITIZENS_TABLE) };
const deps = {
  cases: new DynamoCaseRepository(doc, tables),
  citizens: new DynamoCitizenRepository(doc, tables.citizens),
  clock: { now: () => new Date() },
  // Locally the outbox; in AWS the sender adapter for Connect's outbound chat takes its place.
  sender: new DynamoOutbox(doc, tables.cases),
};

const streamEvent = z.object({
  Records: z.array(
    z.object({
      eventName: z.optional(z.string()),
      dynamodb: z.optional(
        z.object({
          SequenceNumber: z.optional(z.string()),
          NewImage: z.optional(z.record(z.string(), z.unknown())),
          OldImage: z.optional(z.record(z.string(), z.unknown())),
        }),
      ),
    }),
  ),
});

export const handler = async (event: unknown) => {
  const { Records } = parseInput(streamEvent, event);
  let sent = 0;
  for (const record of Records) {
    const next = record.dynamodb?.NewImage
      ? unmarshall(record.dynamodb.NewImage as Record<string, AttributeValue>)
      : undefined;
    const previous = record.dynamodb?.OldImage
      ? unmarshall(record.dynamodb.OldImage as Record<string, AttributeValue>)
      : undefined;
    if (next?.type !== 'CASE' || next.status !== 'PENDING_COMMUNICATION' || previous?.status === next.status)
      continue;
    try {
      // The case as it is now, not as the record shows it: a redelivery finds it already communicated.
      const current = await deps.cases.byTicket(caseFromItem(next).ticket);
      if (!current) continue;
      const outcome = await communicateAnswer(deps, current);
      if (outcome.result === 'communicated') sent++;
      else logger.info('answer not sent', { ticket: String(next.ticket), result: outcome.result });
    } catch (error) {
      logger.error('notify failed', { ticket: String(next.ticket), errorType: (error as Error)?.name });
      const id = record.dynamodb?.SequenceNumber;
      return { batchItemFailures: id ? [{ itemIdentifier: id }] : [] };
    }
  }
  logger.info('batch done', { records: Records.length, sent });
  return { batchItemFailures: [] };
};
