import { ConnectClient } from '@aws-sdk/client-connect';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { caseFromItem } from '../../shared/adapters/dynamodb/case-items';
import { DynamoCaseRepository } from '../../shared/adapters/dynamodb/case-repository';
import { DynamoContactStore } from '../../shared/adapters/dynamodb/contact-store';
import { DynamoCitizenRepository } from '../../shared/adapters/dynamodb/citizen-repository';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client';
import { ConnectMessageSender } from '../../shared/adapters/connect/outbound';
import { DynamoOutbox } from '../../shared/adapters/dynamodb/outbox';
import { communicateAnswer, sendRequestedLink } from '../../shared/domain/messaging';
import { parseInput } from '../../shared/domain/schema';
import { parseTicket } from '../../shared/domain/ticket';
import { showBatchChange } from '../../shared/domain/screen-pop';
import { readCompiledConfig } from '../../shared/config/compiled';
import { ENV, required } from '../../shared/runtime/env';
import { createLogger } from '../../shared/runtime/logger';

/**
 * Tells citizens their answer as soon as it exists: reads the cases table's stream, and for each case that
 * reached PENDING_COMMUNICATION sends the answer on the citizen's messaging channel and marks it
 * COMMUNICATED; for each self-service request of a link, texts the link and resolves it; for each case a
 * back-office batch changed, brings the citizen's screen pops up to date. Idempotent (message ids are per
 * ticket and version; screen pops take only newer versions); reports the record to retry from.
 */
const env = process.env;
const logger = createLogger('case-notifier');
const doc = createDocumentClient({
  ...(env[ENV.DYNAMODB_ENDPOINT] ? { endpoint: env[ENV.DYNAMODB_ENDPOINT] } : {}),
  ...(env[ENV.AWS_REGION] ? { region: env[ENV.AWS_REGION] } : {}),
  requestTimeoutMs: 2000,
});
const messagingSources = z.object({ SMS: z.optional(z.string()), WHATSAPP: z.optional(z.string()) });
const tables = { cases: required(env, ENV.CASES_TABLE), citizens: required(env, ENV.CITIZENS_TABLE) };
const { catalogue } = readCompiledConfig(env[ENV.CONFIG_FILE] ?? join(__dirname, 'config.json'));
const deps = {
  catalogue,
  screenPops: new DynamoContactStore(doc, tables),
  cases: new DynamoCaseRepository(doc, tables),
  citizens: new DynamoCitizenRepository(doc, tables.citizens),
  clock: { now: () => new Date() },
  // In AWS, Connect's outbound SMS/WhatsApp chats; locally, the outbox (GET /outbox).
  sender: env[ENV.CONNECT_INSTANCE_ID]
    ? new ConnectMessageSender(new ConnectClient({}), {
        instanceId: required(env, ENV.CONNECT_INSTANCE_ID),
        flowId: required(env, ENV.OUTBOUND_FLOW_ID),
        sources: messagingSources.parse(JSON.parse(env[ENV.MESSAGING_SOURCES] ?? '{}')),
      })
    : new DynamoOutbox(doc, tables.cases),
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
    if (next?.type !== 'CASE') continue;
    const answered = next.status === 'PENDING_COMMUNICATION' && previous?.status !== next.status;
    const linkRequested =
      record.eventName === 'INSERT' && next.status === 'OPEN' && next.request !== undefined;
    // A back-office batch stamps the case with its id and leaves the screen pops to this function.
    const batched = next.lastBatch !== undefined && next.lastBatch !== previous?.lastBatch;
    if (!answered && !linkRequested && !batched) continue;
    try {
      if (batched) await showBatchChange(deps, caseFromItem(next));
      if (!answered && !linkRequested) continue;
      // The case as it is now, not as the record shows it: a redelivery finds it already communicated.
      const current = await deps.cases.byTicket(parseTicket(String(next.ticket)));
      if (!current) continue;
      const outcome = answered
        ? await communicateAnswer(deps, current)
        : await sendRequestedLink(deps, current);
      if (outcome.result === 'communicated' || outcome.result === 'sent') sent++;
      else if (outcome.result !== 'not-requested')
        logger.info('message not sent', { ticket: String(next.ticket), result: outcome.result });
    } catch (error) {
      logger.error('notify failed', { ticket: String(next.ticket), errorType: (error as Error)?.name });
      const id = record.dynamodb?.SequenceNumber;
      return { batchItemFailures: id ? [{ itemIdentifier: id }] : [] };
    }
  }
  logger.info('batch done', { records: Records.length, sent });
  return { batchItemFailures: [] };
};
