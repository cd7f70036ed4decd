/**
 * The payloads Amazon Connect puts on the stream, in its own formats (docs/connect-formats.md §3): contact records at
 * contact end, agent events on every state change and as heartbeats, and contact events as EventBridge
 * delivers them. Built from the simulator's timeline; nothing here reads a clock.
 */
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_INSTANCE = `arn:aws:connect:us-east-1:${LOCAL_ACCOUNT}:instance/local`;

const iso = (ms: number) => new Date(ms).toISOString();

export interface RecordAgent {
  readonly arn: string;
  readonly username: string;
  readonly profile: RoutingProfile;
}

export interface RoutingProfile {
  readonly arn: string;
  readonly name: string;
  readonly queues: readonly string[];
}

export type ConnectChannelName = 'VOICE' | 'CHAT';

export interface RecordContact {
  readonly contactId: string;
  readonly channel: ConnectChannelName;
  readonly subtype?: string;
  readonly phone?: string;
  readonly initiatedAt: number;
  /** A callback contact (Create callback contact): the inbound contact that asked for it. */
  readonly callbackOf?: string;
}

const initiation = (c: RecordContact) =>
  c.callbackOf ? 'CALLBACK' : c.channel === 'VOICE' ? 'INBOUND' : 'API';
const endpoint = (c: RecordContact) => (c.phone ? { Address: c.phone, Type: 'TELEPHONE_NUMBER' } : null);

/** A contact event as EventBridge delivers it (detail-type "Amazon Connect Contact Event"). */
export function contactEvent(
  c: RecordContact,
  eventType: string,
  at: number,
  extra: { queue?: string; enqueuedAt?: number; agent?: string; disconnectReason?: string } = {},
) {
  return {
    version: '0',
    id: `${c.contactId}-${eventType}`,
    'detail-type': 'Amazon Connect Contact Event',
    source: 'aws.connect',
    account: LOCAL_ACCOUNT,
    time: iso(at),
    region: 'us-east-1',
    resources: [LOCAL_INSTANCE, `${LOCAL_INSTANCE}/contact/${c.contactId}`],
    detail: {
      eventType,
      contactId: c.contactId,
      initialContactId: c.callbackOf ?? c.contactId,
      ...(c.callbackOf ? { previousContactId: c.callbackOf } : {}),
      channel: c.channel,
      instanceArn: LOCAL_INSTANCE,
      initiationMethod: initiation(c),
      initiationTimestamp: iso(c.initiatedAt),
      ...(extra.queue
        ? {
            queueInfo: {
              queueArn: extra.queue,
              queueType: 'STANDARD',
              ...(extra.enqueuedAt !== undefined ? { enqueueTimestamp: iso(extra.enqueuedAt) } : {}),
            },
          }
        : {}),
      ...(extra.agent ? { agentInfo: { agentArn: extra.agent, connectedToAgentTimestamp: iso(at) } } : {}),
      ...(eventType === 'DISCONNECTED'
        ? { disconnectTimestamp: iso(at), disconnectReason: extra.disconnectReason ?? 'CUSTOMER_DISCONNECT' }
        : {}),
      ...(c.subtype ? { segmentAttributes: { 'connect:Subtype': { ValueString: c.subtype } } } : {}),
    },
  };
}

export interface RecordTimeline {
  /** For a callback, when the citizen answered (absent: never, every attempt unanswered). */
  readonly connectedToSystemAt?: number;
  /** The callback contact a flow created for this one. */
  readonly nextContactId?: string;
  /** Calls the agent made to reach the citizen (callbacks). */
  readonly attempts?: number;
  readonly disconnectedAt: number;
  readonly lastUpdateAt: number;
  readonly disconnectReason: string;
  /** `seconds`: in queue, when not simply enqueued to dequeued (a callback's several turns). */
  readonly queue?: {
    readonly arn: string;
    readonly enqueuedAt: number;
    readonly dequeuedAt: number;
    readonly seconds?: number;
  };
  readonly agent?: {
    readonly agent: RecordAgent;
    readonly connectedAt: number;
    readonly talkSeconds: number;
    readonly holdSeconds: number;
    readonly afterContactStart: number;
    readonly afterContactSeconds: number;
  };
  readonly attributes: Readonly<Record<string, string>>;
}

/** A contact trace record (format 2017-03-10), written when the contact is over, after-contact work included. */
export function contactRecord(c: RecordContact, t: RecordTimeline) {
  const { queue, agent } = t;
  return {
    AWSContactTraceRecordFormatVersion: '2017-03-10',
    AWSAccountId: LOCAL_ACCOUNT,
    InstanceARN: LOCAL_INSTANCE,
    ContactId: c.contactId,
    InitialContactId: c.callbackOf ?? c.contactId,
    PreviousContactId: c.callbackOf ?? null,
    NextContactId: t.nextContactId ?? null,
    Channel: c.channel,
    InitiationMethod: initiation(c),
    InitiationTimestamp: iso(c.initiatedAt),
    ConnectedToSystemTimestamp: t.connectedToSystemAt === undefined ? null : iso(t.connectedToSystemAt),
    DisconnectTimestamp: iso(t.disconnectedAt),
    LastUpdateTimestamp: iso(t.lastUpdateAt),
    DisconnectReason: t.disconnectReason,
    CustomerEndpoint: endpoint(c),
    SystemEndpoint: c.channel === 'VOICE' ? { Address: '+5075000000', Type: 'TELEPHONE_NUMBER' } : null,
    Queue: queue
      ? {
          ARN: queue.arn,
          Name: queue.arn.split('/').at(-1),
          EnqueueTimestamp: iso(queue.enqueuedAt),
          DequeueTimestamp: iso(queue.dequeuedAt),
          Duration: queue.seconds ?? Math.round((queue.dequeuedAt - queue.enqueuedAt) / 1000),
        }
      : null,
    Agent: agent
      ? {
          ARN: agent.agent.arn,
          Username: agent.agent.username,
          ConnectedToAgentTimestamp: iso(agent.connectedAt),
          AgentInteractionDuration: agent.talkSeconds,
          CustomerHoldDuration: agent.holdSeconds,
          NumberOfHolds: agent.holdSeconds ? 1 : 0,
          LongestHoldDuration: agent.holdSeconds,
          AfterContactWorkDuration: agent.afterContactSeconds,
          AfterContactWorkStartTimestamp: iso(agent.afterContactStart),
          AfterContactWorkEndTimestamp: iso(agent.afterContactStart + agent.afterContactSeconds * 1000),
          RoutingProfile: { ARN: agent.agent.profile.arn, Name: agent.agent.profile.name },
          HierarchyGroups: null,
        }
      : null,
    AgentConnectionAttempts: t.attempts ?? (agent ? 1 : 0),
    Attributes: t.attributes,
    Recordings: [],
    MediaStreams: [{ Type: c.channel === 'VOICE' ? 'AUDIO' : 'CHAT' }],
    ...(c.subtype ? { SegmentAttributes: { 'connect:Subtype': { ValueString: c.subtype } } } : {}),
  };
}

/** An agent's status as Connect names it: Available (routable), Break (custom) or Offline. */
export type AgentStatusName = 'Available' | 'Break' | 'Offline';
const STATUS_TYPE: Record<AgentStatusName, string> = {
  Available: 'ROUTABLE',
  Break: 'CUSTOM',
  Offline: 'OFFLINE',
};

export interface AgentSnapshot {
  readonly status: AgentStatusName;
  readonly statusSince: number;
  readonly contact?: {
    readonly contact: RecordContact;
    readonly queue: string;
    readonly enqueuedAt: number;
    /** CONNECTING while it rings (a person's offer), CONNECTED on it, ENDED in after-contact work. */
    readonly state: 'CONNECTING' | 'CONNECTED' | 'ENDED';
    readonly since: number;
  };
}

function snapshot(agent: RecordAgent, s: AgentSnapshot) {
  const busy = s.contact ? 1 : 0;
  return {
    AgentStatus: {
      ARN: `${LOCAL_INSTANCE}/agent-state/${s.status.toLowerCase()}`,
      Name: s.status,
      StartTimestamp: iso(s.statusSince),
      Type: STATUS_TYPE[s.status],
    },
    NextAgentStatus: null,
    Configuration: {
      Username: agent.username,
      FirstName: agent.username,
      LastName: '',
      AgentHierarchyGroups: null,
      RoutingProfile: {
        ARN: agent.profile.arn,
        Name: agent.profile.name,
        Concurrency: [
          { Channel: 'VOICE', MaximumSlots: 1, AvailableSlots: 1 - busy },
          { Channel: 'CHAT', MaximumSlots: 1, AvailableSlots: 1 - busy },
        ],
        DefaultOutboundQueue: { ARN: agent.profile.queues[0], Name: agent.profile.queues[0] },
        InboundQueues: agent.profile.queues.map((q) => ({
          ARN: q,
          Name: q.split('/').at(-1),
          Channels: ['VOICE', 'CHAT'],
        })),
      },
    },
    Contacts: s.contact
      ? [
          {
            ContactId: s.contact.contact.contactId,
            InitialContactId: s.contact.contact.callbackOf ?? s.contact.contact.contactId,
            Channel: s.contact.contact.channel,
            InitiationMethod: initiation(s.contact.contact),
            State: s.contact.state,
            StateStartTimestamp: iso(s.contact.since),
            ConnectedToAgentTimestamp: iso(s.contact.since),
            QueueTimestamp: iso(s.contact.enqueuedAt),
            Queue: { ARN: s.contact.queue, Name: s.contact.queue.split('/').at(-1) },
          },
        ]
      : [],
  };
}

/** An agent event (STATE_CHANGE, HEART_BEAT, LOGIN or LOGOUT) with the snapshots before and after. */
export function agentEvent(
  type: 'STATE_CHANGE' | 'HEART_BEAT' | 'LOGIN' | 'LOGOUT',
  agent: RecordAgent,
  at: number,
  sequence: number,
  current: AgentSnapshot,
  previous: AgentSnapshot | undefined,
) {
  return {
    AWSAccountId: LOCAL_ACCOUNT,
    AgentARN: agent.arn,
    CurrentAgentSnapshot: snapshot(agent, current),
    EventId: `${agent.arn.split('/').at(-1)}-${sequence}`,
    EventTimestamp: iso(at),
    EventType: type,
    InstanceARN: LOCAL_INSTANCE,
    PreviousAgentSnapshot: previous ? snapshot(agent, previous) : null,
    Version: '2019-05-25',
  };
}
