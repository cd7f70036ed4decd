import { readFileSync } from 'node:fs';
import { seededRandom } from '../../shared/domain/random';

/**
 * A deterministic morning of contact-center traffic: contacts across channels and queues, some answered,
 * some abandoned, some transferred, some still waiting at the end; agents logging in, taking breaks and
 * logging out. Emitted as the raw payloads Connect would put on the stream, with the ground truth beside
 * them for an independent computation.
 */
export interface TruthContact {
  readonly contactId: string;
  readonly queue: string;
  readonly channel: 'VOICE' | 'CHAT';
  readonly enqueuedAt: Date;
  readonly waitSeconds: number;
  readonly answered: boolean;
  readonly handleSeconds: number;
  readonly transferred: boolean;
  /** Still waiting when the morning's data stops: no record yet, no leave event. */
  readonly stillWaiting: boolean;
}

export const QUEUES = [
  'arn:queue/tax',
  'arn:queue/vehicles',
  'arn:queue/civil-registry',
  'arn:queue/general-information',
];

const iso = (d: Date) => d.toISOString();
const plus = (d: Date, s: number) => new Date(d.getTime() + s * 1000);

export function morning(contacts = 600, seed = 7) {
  const random = seededRandom(seed);
  const start = Date.parse('2026-11-24T13:00:00.000Z'); // 08:00 in Panama
  const truth: TruthContact[] = [];
  const payloads: unknown[] = [];
  for (let i = 0; i < contacts; i++) {
    const enqueuedAt = new Date(start + Math.floor(random() * 4 * 3600) * 1000);
    const queue = QUEUES[Math.floor(random() * QUEUES.length)]!;
    const channel = random() < 0.7 ? 'VOICE' : 'CHAT';
    const waitSeconds = Math.floor(random() * 120);
    const answered = random() < 0.85;
    const handleSeconds = answered ? 60 + Math.floor(random() * 600) : 0;
    const transferred = answered && random() < 0.05;
    const stillWaiting = i % 97 === 0;
    const contactId = `contact-${i}`;
    truth.push({
      contactId,
      queue,
      channel,
      enqueuedAt,
      waitSeconds,
      answered,
      handleSeconds,
      transferred,
      stillWaiting,
    });

    const envelope = (eventType: string, time: Date, extra: Record<string, unknown> = {}) => ({
      version: '0',
      id: `${contactId}-${eventType}`,
      'detail-type': 'Amazon Connect Contact Event',
      source: 'aws.connect',
      time: iso(time),
      detail: {
        eventType,
        contactId,
        channel: i % 5 === 0 ? channel[0] + channel.slice(1).toLowerCase() : channel,
        ...extra,
      },
    });
    payloads.push(
      envelope('QUEUED', enqueuedAt, { queueInfo: { queueArn: queue, enqueueTimestamp: iso(enqueuedAt) } }),
    );
    if (stillWaiting) continue;
    const dequeuedAt = plus(enqueuedAt, waitSeconds);
    payloads.push(
      answered
        ? envelope('CONNECTED_TO_AGENT', dequeuedAt, { queueInfo: { QueueArn: queue } })
        : envelope('DISCONNECTED', dequeuedAt, { disconnectTimestamp: iso(dequeuedAt) }),
    );
    const talk = Math.floor(handleSeconds * 0.7);
    const hold = Math.floor(handleSeconds * 0.1);
    const acw = handleSeconds - talk - hold;
    payloads.push({
      AWSContactTraceRecordFormatVersion: '2017-03-10',
      ContactId: contactId,
      Channel: channel,
      InitiationMethod: 'INBOUND',
      InitiationTimestamp: iso(plus(enqueuedAt, -20)),
      LastUpdateTimestamp: iso(plus(dequeuedAt, handleSeconds + 5)),
      CustomerEndpoint: { Address: '+50760000000', Type: 'TELEPHONE_NUMBER' },
      NextContactId: transferred ? `${contactId}-next` : null,
      Queue: {
        ARN: queue,
        Name: queue.split('/')[1],
        EnqueueTimestamp: iso(enqueuedAt),
        DequeueTimestamp: iso(dequeuedAt),
        Duration: waitSeconds,
      },
      Agent: answered
        ? {
            ARN: `arn:agent/${i % 20}`,
            ConnectedToAgentTimestamp: iso(dequeuedAt),
            AgentInteractionDuration: talk,
            CustomerHoldDuration: hold,
            AfterContactWorkDuration: acw,
          }
        : null,
      DisconnectReason: answered ? 'AGENT_DISCONNECT' : 'CUSTOMER_DISCONNECT',
      Attributes: {},
      References: [],
    });
  }
  // Twenty agents: log in, available, a break for some, most back, a few log out.
  const agentStates: Record<string, string> = {};
  for (let a = 0; a < 20; a++) {
    const agent = `arn:agent/${a}`;
    const event = (type: string, minute: number, status: string | null) => {
      const at = new Date(start + minute * 60_000 + a * 1000);
      payloads.push({
        AWSAccountId: '111122223333',
        AgentARN: agent,
        EventId: `${agent}-${type}-${minute}`,
        EventTimestamp: iso(at),
        EventType: type,
        InstanceARN: 'arn:instance',
        CurrentAgentSnapshot: status ? { AgentStatus: { Name: status }, Contacts: [] } : null,
        PreviousAgentSnapshot: null,
        Version: '2017-10-01',
      });
    };
    event('LOGIN', 0, null);
    event('STATE_CHANGE', 1, 'Available');
    agentStates[agent] = 'AVAILABLE';
    if (a % 4 === 0) {
      event('STATE_CHANGE', 120, 'Break');
      agentStates[agent] = 'NON_PRODUCTIVE';
      event('HEART_BEAT', 121, 'Break');
    }
    if (a % 8 === 0) {
      event('STATE_CHANGE', 140, 'Available');
      agentStates[agent] = 'AVAILABLE';
    }
    if (a % 10 === 9) {
      event('LOGOUT', 230, 'Offline');
      agentStates[agent] = 'OFFLINE';
      event('HEART_BEAT', 235, 'Offline');
    }
  }
  return { truth, payloads, agentStates, end: new Date(start + 4 * 3600 * 1000) };
}

/** Kinesis records as Lambda delivers them, numbered in order. */
export const asKinesis = (payloads: readonly unknown[]) =>
  payloads.map((p, i) => ({
    kinesis: {
      data: Buffer.from(JSON.stringify(p)).toString('base64'),
      sequenceNumber: String(1_000_000 + i),
    },
  }));

/** The recorded morning (scripts/record-morning.ts wrote it): payloads as delivered, and the ground truth. */
export function recordedMorning(): ReturnType<typeof morning> {
  const recorded = JSON.parse(readFileSync('test/fixtures/stream/morning-600.json', 'utf8'));
  return {
    payloads: recorded.payloads,
    truth: recorded.truth.map((c: { enqueuedAt: string }) => ({ ...c, enqueuedAt: new Date(c.enqueuedAt) })),
    agentStates: recorded.agentStates,
    end: new Date(recorded.end),
  };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- contact records are raw Connect JSON */
const isContactRecord = (p: any) =>
  typeof p?.ContactId === 'string' && typeof p?.LastUpdateTimestamp === 'string';

/**
 * An earlier version of a contact record, as Connect published it before a later update: `minutesBefore` its
 * final LastUpdateTimestamp, with after-contact work not yet finished and a transfer leg not yet completed,
 * and, when `elsewhere` is given, first recorded against another queue and agent.
 */
export function earlierVersion(
  record: any,
  minutesBefore: number,
  elsewhere?: { queue: string; agent: string },
) {
  const version = structuredClone(record);
  version.LastUpdateTimestamp = new Date(Date.parse(record.LastUpdateTimestamp) - minutesBefore * 60_000)
    .toISOString()
    .replace('.000Z', 'Z');
  version.NextContactId = null;
  if (version.Agent)
    version.Agent.AfterContactWorkDuration = Math.floor((version.Agent.AfterContactWorkDuration ?? 0) / 3);
  if (elsewhere) {
    version.Queue = { ...version.Queue, ARN: elsewhere.queue, Name: elsewhere.queue.split('/')[1] };
    if (version.Agent) version.Agent.ARN = elsewhere.agent;
  }
  return version;
}

/**
 * A day's payloads where about a `fraction` of the contacts also arrive in one or two earlier versions (after-
 * contact work and transfers not yet finished): the final version of each is the original record.
 */
export function withEarlierVersions(payloads: readonly unknown[], fraction: number, seed = 11): unknown[] {
  const random = seededRandom(seed);
  const out: unknown[] = [];
  for (const p of payloads) {
    out.push(p);
    if (!isContactRecord(p) || random() >= fraction) continue;
    const count = random() < 0.5 ? 1 : 2;
    for (let k = 1; k <= count; k++) out.push(earlierVersion(p, k * 90));
  }
  return out;
}
/* eslint-enable @typescript-eslint/no-explicit-any */
