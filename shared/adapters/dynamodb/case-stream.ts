import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { CaseMetricEvent } from '../../domain/metrics/model';
import type { CaseChange } from '../../domain/notifier';
import type { Booking } from '../../domain/appointments';
import { bookingFromItem } from './appointment-store';
import { caseContactFromItem, caseFromItem } from './case-items';

/** A DynamoDB Streams record as Lambda hands it over (the fields read here). */
export interface CaseStreamRecord {
  readonly eventName?: 'INSERT' | 'MODIFY' | 'REMOVE' | string;
  readonly dynamodb?: {
    readonly SequenceNumber?: string;
    readonly NewImage?: Record<string, AttributeValue>;
    readonly OldImage?: Record<string, AttributeValue>;
  };
}

const image = (raw: Record<string, AttributeValue> | undefined) =>
  raw ? (unmarshall(raw) as Record<string, unknown>) : undefined;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * The case event a change to the cases table means, if any: a case item inserted is a case created; its
 * status changed is a transition; a contact link inserted that did not open the case is a contact appended
 * (a repeat contact about an open case). The table's stream is the outbox: a change committed is published.
 */
export function caseEventOf(record: CaseStreamRecord): CaseMetricEvent | undefined {
  const next = image(record.dynamodb?.NewImage);
  const previous = image(record.dynamodb?.OldImage);
  if (!next) return undefined;
  if (next.type === 'CASE') {
    const base = {
      kind: 'case-event' as const,
      ticket: String(next.ticket),
      channel: String(next.channel),
      topicId: String(next.topicId),
      departmentId: String(next.departmentId),
    };
    if (record.eventName === 'INSERT')
      return { ...base, type: 'created', key: `created#${base.ticket}`, at: String(next.createdAt) };
    if (record.eventName === 'MODIFY' && previous && previous.status !== next.status)
      return {
        ...base,
        type: 'transitioned',
        key: `transitioned#${base.ticket}#${String(next.version)}`,
        at: String(next.updatedAt),
        from: String(previous.status),
        to: String(next.status),
      };
    return undefined;
  }
  if (next.type === 'CASE_CONTACT' && record.eventName === 'INSERT' && next.opening !== true) {
    const topicId = str(next.topicId);
    const departmentId = str(next.departmentId);
    if (!topicId || !departmentId) return undefined;
    return {
      kind: 'case-event',
      type: 'appended',
      key: `appended#${String(next.ticket)}#${String(next.contactId)}`,
      at: String(next.at),
      ticket: String(next.ticket),
      channel: String(next.channel),
      topicId,
      departmentId,
      repeat: true,
    };
  }
  return undefined;
}

/**
 * Why a change that should have been a case event is not one (a case or contact link missing what the
 * figures are keyed by), or undefined: the case-events function logs these rather than pass them silently.
 */
export function skippedCaseChange(record: CaseStreamRecord): string | undefined {
  const next = image(record.dynamodb?.NewImage);
  if (!next || caseEventOf(record) !== undefined) return undefined;
  if (next.type === 'CASE' && (!str(next.topicId) || !str(next.departmentId) || !str(next.ticket)))
    return 'a case without ticket, topic or department';
  if (next.type === 'CASE_CONTACT' && record.eventName === 'INSERT' && next.opening !== true)
    return 'a contact link without topic or department';
  return undefined;
}

/** The stream payload of a case event, as the aggregator reads it. */
export const caseEventPayload = (event: CaseMetricEvent) => ({
  ventanilla: 'case-event',
  id: event.key,
  at: event.at,
  type: event.type,
  ticket: event.ticket,
  channel: event.channel,
  topicId: event.topicId,
  departmentId: event.departmentId,
  ...(event.from ? { from: event.from } : {}),
  ...(event.to ? { to: event.to } : {}),
  ...(event.repeat !== undefined ? { repeat: event.repeat } : {}),
});

/**
 * The change a record of the cases table's stream carries, in the domain's terms: a case written (with its
 * previous state) or a contact linked to a case; undefined for the table's other items and for removals.
 */
export function caseChangeOf(record: CaseStreamRecord): CaseChange | undefined {
  const next = image(record.dynamodb?.NewImage);
  if (!next) return undefined;
  const inserted = record.eventName === 'INSERT';
  if (next.type === 'CASE_CONTACT') return { kind: 'contact', inserted, contact: caseContactFromItem(next) };
  if (next.type !== 'CASE') return undefined;
  const previous = image(record.dynamodb?.OldImage);
  return {
    kind: 'case',
    inserted,
    next: caseFromItem(next),
    ...(previous?.type === 'CASE' ? { previous: caseFromItem(previous) } : {}),
  };
}

/** A booking written (with its previous state), or undefined for the table's other items and for removals. */
export function bookingChangeOf(record: CaseStreamRecord): { next: Booking; previous?: Booking } | undefined {
  const next = image(record.dynamodb?.NewImage);
  if (next?.type !== 'BOOKING') return undefined;
  const previous = image(record.dynamodb?.OldImage);
  return {
    next: bookingFromItem(next),
    ...(previous?.type === 'BOOKING' ? { previous: bookingFromItem(previous) } : {}),
  };
}
