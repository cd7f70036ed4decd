import { ConnectClient } from '@aws-sdk/client-connect';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { caseContactFromItem, caseFromItem } from '../../shared/adapters/dynamodb/case-items';
import { DynamoCaseRepository } from '../../shared/adapters/dynamodb/case-repository';
import { DynamoContactStore } from '../../shared/adapters/dynamodb/contact-store';
import { DynamoCitizenRepository } from '../../shared/adapters/dynamodb/citizen-repository';
import { ConnectMessageSender } from '../../shared/adapters/connect/outbound';
import { DynamoOutbox } from '../../shared/adapters/dynamodb/outbox';
import {
  communicateAnswer,
  sendLinkToJoiningContact,
  sendRequestedLink,
} from '../../shared/domain/messaging';
import { parseInput } from '../../shared/domain/schema';
import { parseTicket } from '../../shared/domain/ticket';
import { showBatchChange } from '../../shared/domain/screen-pop';
import { readCompiledConfig } from '../../shared/config/compiled';
import { documentClientFromEnv } from '../../shared/runtime/dynamodb';
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
const doc = documentClientFromEnv(env, { requestTimeoutMs: 2000 });
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

type Image = Record<string, unknown>;

/** What one change of the cases table asks of this function; the result, if it tried to send something. */
async function onChange(eventName: string | undefined, next: Image, previous: Image | undefined) {
  if (next.type === 'CASE_CONTACT') {
    if (eventName !== 'INSERT' || next.request === undefined) return undefined;
    const joining = caseContactFromItem(next);
    const current = await deps.cases.byTicket(parseTicket(joining.ticket));
    return current ? sendLinkToJoiningContact(deps, current, joining) : undefined;
  }
  if (next.type !== 'CASE') return undefined;
  // A back-office batch stamps the case with its id and leaves the screen pops to this function.
  if (next.lastBatch !== undefined && next.lastBatch !== previous?.lastBatch)
    await showBatchChange(deps, caseFromItem(next));
  const answered = next.status === 'PENDING_COMMUNICATION' && previous?.status !== next.status;
  const linkRequested = eventName === 'INSERT' && next.status === 'OPEN' && next.request !== undefined;
  if (!answered && !linkRequested) return undefined;
  // The case as it is now, not as the record shows it: a redelivery finds it already communicated.
  const current = await deps.cases.byTicket(parseTicket(String(next.ticket)));
  if (!current) return undefined;
  return answered ? communicateAnswer(deps, current) : sendRequestedLink(deps, current);
}

export const handler = async (event: unknown) => {
  const { Records } = parseInput(streamEvent, event);
  let sent = 0;
  for (const record of Records) {
    const image = (raw: Record<string, unknown> | undefined) =>
      raw ? (unmarshall(raw as Record<string, AttributeValue>) as Image) : undefined;
    const next = image(record.dynamodb?.NewImage);
    if (!next) continue;
    try {
      const outcome = await onChange(record.eventName, next, image(record.dynamodb?.OldImage));
      if (outcome?.result === 'communicated' || outcome?.result === 'sent') sent++;
      else if (outcome && outcome.result !== 'not-requested')
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
