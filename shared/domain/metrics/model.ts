/**
 * What the metrics aggregator reads, once parsed from Connect's contact records, agent events and contact
 * events and from our own case events. Every event has a `key` that identifies it across redeliveries and
 * an `at` it is ordered and bucketed by.
 */
export const CONNECT_CHANNELS = ['VOICE', 'CHAT', 'TASK', 'EMAIL'] as const;
export type ConnectChannel = (typeof CONNECT_CHANNELS)[number];

export const AGENT_STATES = [
  'AVAILABLE',
  'ON_CONTACT',
  'AFTER_CONTACT_WORK',
  'NON_PRODUCTIVE',
  'OFFLINE',
] as const;
export type AgentState = (typeof AGENT_STATES)[number];

/** A contact record (at contact end, after after-contact work). */
export interface ContactRecordEvent {
  readonly kind: 'contact-record';
  /** ContactId + LastUpdateTimestamp: a record redelivered, or re-sent unchanged, is one. */
  readonly key: string;
  readonly at: string;
  readonly contactId: string;
  readonly channel: ConnectChannel;
  readonly queue?: string;
  readonly enqueuedAt?: string;
  /** Seconds in queue (Connect's Queue.Duration). */
  readonly queueSeconds?: number;
  readonly connectedToAgentAt?: string;
  /** Talk + hold + after-contact work, for contacts an agent handled. */
  readonly handleSeconds?: number;
  /** Transferred on to another queue or number. */
  readonly transferred: boolean;
  /**
   * The flow offered this inbound contact a callback (its attributes `callbackOffered`, `callbackRequested`,
   * `queueArn`): the queue, when the contact began, and whether a callback was created.
   */
  readonly callbackOffer?: { readonly queue: string; readonly at: string; readonly requested: boolean };
  /**
   * A callback contact (InitiationMethod CALLBACK): whether the citizen answered an agent's call, and the
   * inbound contact that asked for it (its PreviousContactId).
   */
  readonly callbackLeg?: { readonly reached: boolean; readonly requestedBy?: string };
}

export type ContactEventType =
  | 'INITIATED'
  | 'CONNECTED_TO_SYSTEM'
  | 'QUEUED'
  | 'CONNECTED_TO_AGENT'
  | 'DISCONNECTED'
  | 'CONTACT_DATA_UPDATED'
  | 'COMPLETED'
  | 'OTHER';

/** A contact event from EventBridge: the live view of contacts waiting. */
export interface ContactLifecycleEvent {
  readonly kind: 'contact-event';
  readonly key: string;
  readonly at: string;
  readonly contactId: string;
  readonly channel: ConnectChannel;
  readonly type: ContactEventType;
  readonly queue?: string;
  readonly enqueuedAt?: string;
  /** A callback contact (initiationMethod CALLBACK). */
  readonly callback?: boolean;
}

/** An agent event: login, logout, state change or heartbeat. */
export interface AgentStateEvent {
  readonly kind: 'agent-event';
  readonly key: string;
  readonly at: string;
  readonly agent: string;
  readonly state: AgentState;
}

/** Our own case events, published by the case code. */
export interface CaseMetricEvent {
  readonly kind: 'case-event';
  readonly key: string;
  readonly at: string;
  readonly type: 'created' | 'appended' | 'transitioned';
  readonly ticket: string;
  readonly channel: string;
  readonly topicId: string;
  readonly departmentId: string;
  readonly from?: string;
  readonly to?: string;
  /** The contact came back about a case that was still open. */
  readonly repeat?: boolean;
}

export type MetricEvent = ContactRecordEvent | ContactLifecycleEvent | AgentStateEvent | CaseMetricEvent;

export const INTERVAL_MINUTES = 15;

const UTC_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** The start of the 15-minute interval an instant falls in (UTC, ISO). */
export function intervalStart(at: string): string {
  // Connect's timestamps are UTC ("…Z"): cut the string rather than build a Date, on the hot path.
  if (at.endsWith('Z') && UTC_ISO.test(at)) {
    const minute = Number(at.slice(14, 16));
    const floored = minute - (minute % INTERVAL_MINUTES);
    return `${at.slice(0, 14)}${floored < 10 ? '0' : ''}${floored}:00.000Z`;
  }
  const ms = Date.parse(at);
  const size = INTERVAL_MINUTES * 60_000;
  return new Date(Math.floor(ms / size) * size).toISOString();
}
