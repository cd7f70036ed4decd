import * as z from 'zod/mini';
import {
  bookingChangeOf,
  caseChangeOf,
  type CaseStreamRecord,
} from '../../shared/adapters/dynamodb/case-stream';
import { tellBookingChange } from '../../shared/domain/appointment-messages';
import { scheduleOf } from '../../shared/domain/appointment-schedule';
import { DynamoCaseRepository } from '../../shared/adapters/dynamodb/case-repository';
import { DynamoCitizenRepository } from '../../shared/adapters/dynamodb/citizen-repository';
import { DynamoContactStore } from '../../shared/adapters/dynamodb/contact-store';
import { DynamoMessageQuota } from '../../shared/adapters/dynamodb/message-quota';
import { DynamoMessagingConsent } from '../../shared/adapters/dynamodb/messaging-consent';
import { DomainError } from '../../shared/domain/errors';
import { outboundRulesOf, type MessageSender } from '../../shared/domain/messaging';
import { notifyCaseChange, wasSent } from '../../shared/domain/notifier';
import { parseInput } from '../../shared/domain/schema';
import { storeTables, type Runtime } from '../../shared/runtime/runtime';

/** Domain errors a later attempt may not meet again: another writer got there first. */
const RETRYABLE = new Set(['CONCURRENT_CHANGE', 'VERSION_CONFLICT']);

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

/**
 * Tells citizens their answer as soon as it exists: reads the cases table's stream and carries out what each
 * change asks (`dutiesOf` in the domain): the answer of a case that reached PENDING_COMMUNICATION, the link a
 * self-service request asked for, the screen pops of a case a back-office batch changed, a booking confirmed,
 * moved or cancelled — none to a number that stopped proactive messages. Idempotent (message ids are per
 * ticket or booking and version; screen pops take only newer versions); reports the record to retry from.
 */
export function makeCaseNotifierHandler(runtime: Runtime, ports: { sender: MessageSender }) {
  const { logger } = runtime;
  const tables = storeTables(runtime);
  const deps = {
    catalogue: runtime.config.catalogue,
    screenPops: new DynamoContactStore(runtime.doc, tables),
    cases: new DynamoCaseRepository(runtime.doc, tables),
    citizens: new DynamoCitizenRepository(runtime.doc, tables.citizens),
    clock: runtime.clock,
    sender: ports.sender,
    outbound: outboundRulesOf(runtime.config.deployment, runtime.config.calendar),
    quota: new DynamoMessageQuota(runtime.doc, tables.citizens),
    consent: new DynamoMessagingConsent(runtime.doc, tables.citizens),
  };
  const schedule = scheduleOf(runtime.config.deployment);
  const bookings = schedule && { ...deps, schedule, timeZone: runtime.config.deployment.timeZone };
  return async (event: unknown) => {
    const { Records } = parseInput(streamEvent, event);
    let sent = 0;
    let skipped = 0;
    for (const record of Records as CaseStreamRecord[]) {
      const sequenceNumber = record.dynamodb?.SequenceNumber;
      let ticket: string | undefined;
      try {
        const booking = bookings && bookingChangeOf(record);
        if (booking) {
          // A booking confirmed, moved or cancelled: the citizen is told by their messaging channel.
          const told = await tellBookingChange(bookings, booking.next, booking.previous);
          if (told === 'sent') sent++;
          else if (told) logger.info('message not sent', { booking: booking.next.id, result: told });
          continue;
        }
        const change = caseChangeOf(record);
        if (!change) continue;
        ticket = change.kind === 'case' ? change.next.ticket : change.contact.ticket;
        const outcome = await notifyCaseChange(deps, change);
        if (wasSent(outcome)) sent++;
        else if (outcome && outcome.result !== 'not-requested')
          logger.info('message not sent', { ticket, result: outcome.result });
      } catch (error) {
        const errorType = (error as Error)?.name ?? typeof error;
        // A record no retry can fix (an item that does not read as a case, a rule that refuses it) is
        // counted (the "record skipped" metric raises an alarm) and passed, so it never holds its shard.
        const permanent =
          error instanceof z.core.$ZodError || (error instanceof DomainError && !RETRYABLE.has(error.code));
        if (permanent) {
          skipped++;
          logger.error('record skipped', { ticket, sequenceNumber, errorType });
          continue;
        }
        logger.error('notify failed', { ticket, sequenceNumber, errorType });
        return { batchItemFailures: sequenceNumber ? [{ itemIdentifier: sequenceNumber }] : [] };
      }
    }
    logger.info('batch done', { records: Records.length, sent, skipped });
    return { batchItemFailures: [] };
  };
}
