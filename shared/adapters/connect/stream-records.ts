import * as z from 'zod/mini';
import type { ParsedRecord } from '../../domain/metrics/aggregate';
import {
  CONNECT_CHANNELS,
  type ContactLifecycleEvent,
  type ContactRecordEvent,
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

export const contactRecordSchema = z.object({
  ContactId: text,
  Channel: text,
  LastUpdateTimestamp: text,
  InitiationMethod: optionalText,
  InitiationTimestamp: optionalText,
  ConnectedToSystemTimestamp: optionalText,
  PreviousContactId: optionalText,
  NextContactId: optionalText,
  TransferCompletedTimestamp: optionalText,
  // Only the flow's callback attributes are read; the rest (and anything personal) is not.
  Attributes: z.optional(
    z.nullable(
      z.object({ callbackOffered: optionalText, callbackRequested: optionalText, queueArn: optionalText }),
    ),
  ),
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

export const contactEventSchema = z.object({
  id: text,
  time: text,
  detail: z.object({
    eventType: text,
    contactId: text,
    channel: text,
    // The documentation samples write both `queueArn` and `QueueArn`.
    queueInfo: z.optional(
      z.nullable(
        z.object({
          queueArn: optionalText,
          QueueArn: optionalText,
          enqueueTimestamp: optionalText,
          EnqueueTimestamp: optionalText,
        }),
      ),
    ),
    disconnectTimestamp: optionalText,
    connectedToSystemTimestamp: optionalText,
    initiationTimestamp: optionalText,
    initiationMethod: optionalText,
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

// Hot-path guards: the same acceptance as the zod schemas above for the two kinds that make up nearly all
// the traffic, checked without building a parse result. A record a guard rejects is parsed by the schema,
// which says precisely what is wrong; a test holds guards and schemas to the same verdicts.
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const optStr = (v: unknown) => v === undefined || v === null || typeof v === 'string';
const optNum = (v: unknown) => v === undefined || v === null || typeof v === 'number';
const optObj = (v: unknown, check: (o: Obj) => boolean) =>
  v === undefined || v === null || (isObj(v) && check(v));

export function isContactRecordShape(p: Obj): boolean {
  return (
    typeof p.ContactId === 'string' &&
    typeof p.Channel === 'string' &&
    typeof p.LastUpdateTimestamp === 'string' &&
    optStr(p.InitiationMethod) &&
    optStr(p.InitiationTimestamp) &&
    optStr(p.ConnectedToSystemTimestamp) &&
    optStr(p.PreviousContactId) &&
    optStr(p.NextContactId) &&
    optObj(
      p.Attributes,
      (a) => optStr(a.callbackOffered) && optStr(a.callbackRequested) && optStr(a.queueArn),
    ) &&
    optStr(p.TransferCompletedTimestamp) &&
    optObj(
      p.Queue,
      (q) => optStr(q.ARN) && optStr(q.Name) && optStr(q.EnqueueTimestamp) && optNum(q.Duration),
    ) &&
    optObj(
      p.Agent,
      (a) =>
        optStr(a.ConnectedToAgentTimestamp) &&
        optNum(a.AgentInteractionDuration) &&
        optNum(a.CustomerHoldDuration) &&
        optNum(a.AfterContactWorkDuration),
    )
  );
}

export function isContactEventShape(p: Obj): boolean {
  const d = p.detail;
  return (
    typeof p.id === 'string' &&
    typeof p.time === 'string' &&
    isObj(d) &&
    typeof d.eventType === 'string' &&
    typeof d.contactId === 'string' &&
    typeof d.channel === 'string' &&
    optObj(
      d.queueInfo,
      (q) =>
        optStr(q.queueArn) && optStr(q.QueueArn) && optStr(q.enqueueTimestamp) && optStr(q.EnqueueTimestamp),
    ) &&
    optStr(d.disconnectTimestamp) &&
    optStr(d.connectedToSystemTimestamp) &&
    optStr(d.initiationTimestamp) &&
    optStr(d.initiationMethod)
  );
}

type ContactRecordShape = z.infer<typeof contactRecordSchema>;
type ContactEventShape = z.infer<typeof contactEventSchema>;

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

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const EVENT_TYPES = new Set<string>([
  'INITIATED',
  'CONNECTED_TO_SYSTEM',
  'QUEUED',
  'CONNECTED_TO_AGENT',
  'DISCONNECTED',
  'CONTACT_DATA_UPDATED',
  'COMPLETED',
]);

/** The event a decoded stream payload carries, `undefined` when its shape is not one we know. */
export function toMetricEvent(payload: unknown): MetricEvent | undefined {
  if (!payload || typeof payload !== 'object') return undefined;
  const p = payload as Record<string, unknown>;
  if ('AWSContactTraceRecordFormatVersion' in p || ('ContactId' in p && 'LastUpdateTimestamp' in p)) {
    const r = (isContactRecordShape(p) ? p : contactRecordSchema.parse(p)) as ContactRecordShape;
    const event: Mutable<ContactRecordEvent> = {
      kind: 'contact-record',
      key: `${r.ContactId}#${r.LastUpdateTimestamp}`,
      at: r.LastUpdateTimestamp,
      contactId: r.ContactId,
      channel: channelOf(r.Channel),
      transferred: Boolean(r.NextContactId || r.TransferCompletedTimestamp),
    };
    const queue = r.Queue;
    if (queue) {
      if (queue.ARN || queue.Name) event.queue = (queue.ARN ?? queue.Name)!;
      if (queue.EnqueueTimestamp) event.enqueuedAt = queue.EnqueueTimestamp;
      if (queue.Duration != null) event.queueSeconds = queue.Duration;
    }
    const callbackLeg = r.InitiationMethod === 'CALLBACK';
    if (callbackLeg)
      event.callbackLeg = {
        reached: Boolean(r.ConnectedToSystemTimestamp),
        ...(r.PreviousContactId ? { requestedBy: r.PreviousContactId } : {}),
      };
    const attributes = r.Attributes;
    if (
      !callbackLeg &&
      attributes?.callbackOffered === 'true' &&
      attributes.queueArn &&
      r.InitiationTimestamp
    )
      event.callbackOffer = {
        queue: attributes.queueArn,
        at: r.InitiationTimestamp,
        requested: attributes.callbackRequested === 'true',
      };
    const agent = r.Agent;
    if (agent?.ConnectedToAgentTimestamp) {
      event.connectedToAgentAt = agent.ConnectedToAgentTimestamp;
      event.handleSeconds =
        (agent.AgentInteractionDuration ?? 0) +
        (agent.CustomerHoldDuration ?? 0) +
        (agent.AfterContactWorkDuration ?? 0);
    }
    return event;
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
    const e = (isContactEventShape(p) ? p : contactEventSchema.parse(p)) as ContactEventShape;
    const d = e.detail;
    const type = (EVENT_TYPES.has(d.eventType) ? d.eventType : 'OTHER') as ContactEventType;
    const event: Mutable<ContactLifecycleEvent> = {
      kind: 'contact-event',
      key: e.id,
      at: (type === 'DISCONNECTED' ? d.disconnectTimestamp : undefined) ?? e.time,
      contactId: d.contactId,
      channel: channelOf(d.channel),
      type,
    };
    const queue = d.queueInfo?.queueArn ?? d.queueInfo?.QueueArn;
    if (queue) event.queue = queue;
    const enqueuedAt = d.queueInfo?.enqueueTimestamp ?? d.queueInfo?.EnqueueTimestamp;
    if (enqueuedAt) event.enqueuedAt = enqueuedAt;
    if (d.initiationMethod?.toUpperCase() === 'CALLBACK') event.callback = true;
    return event;
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
