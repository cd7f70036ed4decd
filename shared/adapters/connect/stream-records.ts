import * as z from 'zod/mini';
import type { ParsedRecord } from '../../domain/metrics/aggregate';
import {
  CONNECT_CHANNELS,
  type AgentState,
  type ConnectChannel,
  type ContactEventType,
  type MetricEvent,
} from '../../domain/metrics/model';

/**
 * Reads the records on the event stream: Connect's contact records and agent events (Kinesis), contact events
 * (EventBridge envelopes forwarded to the stream) and our case events. Each is told apart by its shape and
 * validated for the fields the aggregator uses; unknown fields are ignored. Personal data in the records
 * (numbers, names) is never read.
 */
const text = z.string();
const optionalText = z.optional(z.nullable(z.string()));
const seconds = z.optional(z.nullable(z.number()));

const contactRecordSchema = z.object({
  ContactId: text,
  Channel: text,
  LastUpdateTimestamp: text,
  InitiationMethod: optionalText,
  NextContactId: optionalText,
  TransferCompletedTimestamp: optionalText,
  Queue: z.optional(
    z.nullable(
      z.object({ ARN: optionalText, Name: optionalText, EnqueueTimestamp: optionalText, Duration: seconds }),
    ),
  ),
  Agent: z.optional(
    z.nullable(
      z.object({
        ConnectedToAgentTimestamp: optionalText,
        AgentInteractionDuration: seconds,
        CustomerHoldDuration: seconds,
        AfterContactWorkDuration: seconds,
      }),
    ),
  ),
});

const agentEventSchema = z.object({
  EventId: text,
  EventType: text,
  EventTimestamp: text,
  AgentARN: text,
  CurrentAgentSnapshot: z.optional(
    z.nullable(
      z.object({
        AgentStatus: z.optional(z.nullable(z.object({ Name: optionalText, Type: optionalText }))),
        Contacts: z.optional(z.nullable(z.array(z.object({ State: optionalText })))),
      }),
    ),
  ),
});

const contactEventSchema = z.object({
  id: text,
  time: text,
  detail: z.object({
    eventType: text,
    contactId: text,
    channel: text,
    queueInfo: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
    disconnectTimestamp: optionalText,
    connectedToSystemTimestamp: optionalText,
    initiationTimestamp: optionalText,
    agentInfo: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  }),
});

const caseEventSchema = z.object({
  ventanilla: z.literal('case-event'),
  id: text,
  at: text,
  type: z.enum(['created', 'appended', 'transitioned']),
  ticket: text,
  channel: text,
  topicId: text,
  departmentId: text,
  from: z.optional(text),
  to: z.optional(text),
  repeat: z.optional(z.boolean()),
});

function channelOf(raw: string): ConnectChannel {
  const upper = raw.toUpperCase();
  if ((CONNECT_CHANNELS as readonly string[]).includes(upper)) return upper as ConnectChannel;
  throw new Error(`unknown channel "${raw.slice(0, 16)}"`);
}

/** Connect's agent state, reduced to what a supervisor watches. */
function agentStateOf(event: z.infer<typeof agentEventSchema>): AgentState {
  if (event.EventType === 'LOGOUT') return 'OFFLINE';
  const snapshot = event.CurrentAgentSnapshot;
  const states = (snapshot?.Contacts ?? []).map((c) => c.State ?? '');
  if (states.some((s) => ['CONNECTED', 'CONNECTED_ONHOLD', 'CONNECTING', 'INCOMING', 'PENDING'].includes(s)))
    return 'ON_CONTACT';
  if (states.includes('ENDED')) return 'AFTER_CONTACT_WORK';
  const status = snapshot?.AgentStatus;
  const type = status?.Type?.toUpperCase();
  if (type === 'OFFLINE' || status?.Name === 'Offline' || !status) return 'OFFLINE';
  if (type === 'ROUTABLE' || status.Name === 'Available') return 'AVAILABLE';
  return 'NON_PRODUCTIVE';
}

const EVENT_TYPES = new Set<string>([
  'INITIATED',
  'CONNECTED_TO_SYSTEM',
  'QUEUED',
  'CONNECTED_TO_AGENT',
  'DISCONNECTED',
  'CONTACT_DATA_UPDATED',
  'COMPLETED',
]);

/** Reads a value whatever its key casing (the documentation samples mix `queueArn` and `QueueArn`). */
const field = (o: Record<string, unknown> | null | undefined, name: string): string | undefined => {
  if (!o) return undefined;
  const key = Object.keys(o).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key ? o[key] : undefined;
  return typeof value === 'string' ? value : undefined;
};

/** The event a decoded stream payload carries, `undefined` when its shape is not one we know. */
export function toMetricEvent(payload: unknown): MetricEvent | undefined {
  if (!payload || typeof payload !== 'object') return undefined;
  const p = payload as Record<string, unknown>;
  if ('AWSContactTraceRecordFormatVersion' in p || ('ContactId' in p && 'LastUpdateTimestamp' in p)) {
    const r = contactRecordSchema.parse(p);
    const agent = r.Agent;
    const connectedToAgentAt = agent?.ConnectedToAgentTimestamp ?? undefined;
    return {
      kind: 'contact-record',
      key: `${r.ContactId}#${r.LastUpdateTimestamp}`,
      at: r.LastUpdateTimestamp,
      contactId: r.ContactId,
      channel: channelOf(r.Channel),
      ...(r.Queue?.ARN || r.Queue?.Name ? { queue: (r.Queue.ARN ?? r.Queue.Name)! } : {}),
      ...(r.Queue?.EnqueueTimestamp ? { enqueuedAt: r.Queue.EnqueueTimestamp } : {}),
      ...(r.Queue?.Duration != null ? { queueSeconds: r.Queue.Duration } : {}),
      ...(connectedToAgentAt ? { connectedToAgentAt } : {}),
      ...(connectedToAgentAt && agent
        ? {
            handleSeconds:
              (agent.AgentInteractionDuration ?? 0) +
              (agent.CustomerHoldDuration ?? 0) +
              (agent.AfterContactWorkDuration ?? 0),
          }
        : {}),
      transferred: Boolean(r.NextContactId || r.TransferCompletedTimestamp),
    };
  }
  if ('AgentARN' in p && 'EventType' in p) {
    const e = agentEventSchema.parse(p);
    return {
      kind: 'agent-event',
      key: e.EventId,
      at: e.EventTimestamp,
      agent: e.AgentARN,
      state: agentStateOf(e),
    };
  }
  if (p['detail-type'] === 'Amazon Connect Contact Event') {
    const e = contactEventSchema.parse(p);
    const d = e.detail;
    const type = (EVENT_TYPES.has(d.eventType) ? d.eventType : 'OTHER') as ContactEventType;
    const at = (type === 'DISCONNECTED' ? d.disconnectTimestamp : undefined) ?? e.time;
    const queue = field(d.queueInfo, 'queueArn');
    const enqueuedAt = field(d.queueInfo, 'enqueueTimestamp');
    return {
      kind: 'contact-event',
      key: e.id,
      at,
      contactId: d.contactId,
      channel: channelOf(d.channel),
      type,
      ...(queue ? { queue } : {}),
      ...(enqueuedAt ? { enqueuedAt } : {}),
    };
  }
  if (p.ventanilla === 'case-event') {
    const e = caseEventSchema.parse(p);
    return {
      kind: 'case-event',
      key: e.id,
      at: e.at,
      type: e.type,
      ticket: e.ticket,
      channel: e.channel,
      topicId: e.topicId,
      departmentId: e.departmentId,
      ...(e.from ? { from: e.from } : {}),
      ...(e.to ? { to: e.to } : {}),
      ...(e.repeat !== undefined ? { repeat: e.repeat } : {}),
    };
  }
  return undefined;
}

/** A Kinesis record as Lambda hands it over: base64 data and a sequence number. */
export interface KinesisRecordLike {
  readonly kinesis: { readonly data: string; readonly sequenceNumber: string };
}

export function parseKinesisRecord(record: KinesisRecordLike): ParsedRecord {
  const id = record.kinesis.sequenceNumber;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
  } catch {
    return { status: 'invalid', id, reason: 'not JSON' };
  }
  try {
    const event = toMetricEvent(payload);
    if (event) return { status: 'event', id, event };
    const keys =
      payload && typeof payload === 'object' ? Object.keys(payload).slice(0, 5).join(',') : typeof payload;
    return { status: 'unknown', id, shape: keys };
  } catch (error) {
    return {
      status: 'invalid',
      id,
      reason: error instanceof Error ? error.message.slice(0, 200) : 'invalid',
    };
  }
}
