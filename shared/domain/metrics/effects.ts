import { intervalStart, type AgentState, type MetricEvent } from './model';

/**
 * Where interval counters accumulate, on one channel: a queue (contact figures), a department (contact and
 * case figures) or a topic of the catalogue (case figures).
 */
export interface Scope {
  readonly dimension: 'queue' | 'department' | 'topic';
  readonly id: string;
  readonly channel: string;
}
export type Period = '15m' | 'day';

export const INTERVAL_COUNTERS = [
  'offered',
  'answered',
  'abandoned',
  'withinServiceLevel',
  'answerSecondsSum',
  'handled',
  'handleSecondsSum',
  'transfers',
  'callbacksOffered',
  'callbacksRequested',
  'callbacksHandled',
  'callbacksFailed',
] as const;
export const CASE_COUNTERS = ['casesCreated', 'casesAppended', 'repeatContacts'] as const;
export type Counter = (typeof INTERVAL_COUNTERS)[number] | (typeof CASE_COUNTERS)[number];

/** A change to the stored metrics. Each is safe to apply concurrently (additions, maxima, newest-wins). */
export type Effect =
  | {
      readonly op: 'add';
      readonly scope: Scope;
      readonly period: Period;
      readonly start: string;
      readonly counters: Partial<Record<Counter, number>>;
    }
  | {
      readonly op: 'max';
      readonly scope: Scope;
      readonly period: Period;
      readonly start: string;
      readonly field: 'longestWaitSeconds';
      readonly value: number;
    }
  | {
      readonly op: 'enqueue';
      readonly queue: string;
      readonly channel: string;
      readonly contactId: string;
      readonly at: string;
      /** A callback contact: waiting for an agent to call the citizen, not a caller on the line. */
      readonly callback?: boolean;
    }
  | { readonly op: 'leave'; readonly contactId: string; readonly at: string }
  | { readonly op: 'agent'; readonly agent: string; readonly state: AgentState; readonly at: string }
  | {
      readonly op: 'caseStatus';
      readonly departmentId: string;
      readonly status: string;
      readonly delta: number;
    };

export interface MetricsSettings {
  /** Seconds within which a contact removed from the queue counts toward the service level. */
  readonly serviceLevelSeconds: number;
  /** The department a queue belongs to, when known. */
  readonly departmentOf: (queue: string) => string | undefined;
  /** The local calendar date of an instant, for daily figures ("today" where the administration is). */
  readonly localDate: (at: string) => string;
}

/**
 * What one event changes, by Connect's definitions: a contact record counts as offered in the interval it
 * was queued in (however late it arrives); answered if it reached an agent; abandoned if it left the queue
 * without; within the service level if it left the queue, either way, within the threshold.
 */
export function effectsOf(event: MetricEvent, settings: MetricsSettings): Effect[] {
  switch (event.kind) {
    case 'contact-record': {
      const out: Effect[] = [];
      // An inbound contact's callback offer and request, counted in the interval it began, in the queue it
      // would have joined (the flow's attributes; a callback contact inherits them, and is not counted again).
      const offer = event.callbackOffer;
      if (offer && !event.callbackLeg) {
        const counters: Partial<Record<Counter, number>> = {
          callbacksOffered: 1,
          ...(offer.requested ? { callbacksRequested: 1 } : {}),
        };
        for (const scope of scopesOf(offer.queue, event.channel, settings)) {
          out.push({ op: 'add', scope, period: '15m', start: intervalStart(offer.at), counters });
          out.push({ op: 'add', scope, period: 'day', start: settings.localDate(offer.at), counters });
        }
      }
      if (!event.queue || !event.enqueuedAt) return out;
      const waited = event.queueSeconds ?? 0;
      const counters: Partial<Record<Counter, number>> = { offered: 1 };
      if (event.connectedToAgentAt) {
        counters.answered = 1;
        counters.answerSecondsSum = waited;
        if (event.handleSeconds !== undefined) {
          counters.handled = 1;
          counters.handleSecondsSum = event.handleSeconds;
        }
        // A callback is handled once the citizen answered the agent's call; failed when no call was answered.
        if (event.callbackLeg) {
          if (event.callbackLeg.reached) counters.callbacksHandled = 1;
          else counters.callbacksFailed = 1;
        }
      } else if (!event.callbackLeg) counters.abandoned = 1; // a callback stopped before its turn is not abandoned
      if (waited < settings.serviceLevelSeconds) counters.withinServiceLevel = 1;
      if (event.transferred) counters.transfers = 1;
      const interval = intervalStart(event.enqueuedAt);
      const day = settings.localDate(event.enqueuedAt);
      for (const scope of scopesOf(event.queue, event.channel, settings)) {
        out.push({ op: 'add', scope, period: '15m', start: interval, counters });
        out.push({
          op: 'max',
          scope,
          period: '15m',
          start: interval,
          field: 'longestWaitSeconds',
          value: waited,
        });
        out.push({ op: 'add', scope, period: 'day', start: day, counters });
        out.push({ op: 'max', scope, period: 'day', start: day, field: 'longestWaitSeconds', value: waited });
      }
      return out;
    }
    case 'contact-event':
      if (event.type === 'QUEUED' && event.queue)
        return [
          {
            op: 'enqueue',
            queue: event.queue,
            channel: event.channel,
            contactId: event.contactId,
            at: event.enqueuedAt ?? event.at,
            ...(event.callback ? { callback: true } : {}),
          },
        ];
      if (event.type === 'CONNECTED_TO_AGENT' || event.type === 'DISCONNECTED' || event.type === 'COMPLETED')
        return [{ op: 'leave', contactId: event.contactId, at: event.at }];
      return [];
    case 'agent-event':
      return [{ op: 'agent', agent: event.agent, state: event.state, at: event.at }];
    case 'case-event': {
      const scope: Scope = { dimension: 'department', id: event.departmentId, channel: event.channel };
      const day = settings.localDate(event.at);
      if (event.type === 'transitioned')
        return [
          ...(event.from
            ? [{ op: 'caseStatus' as const, departmentId: event.departmentId, status: event.from, delta: -1 }]
            : []),
          ...(event.to
            ? [{ op: 'caseStatus' as const, departmentId: event.departmentId, status: event.to, delta: 1 }]
            : []),
        ];
      const counters: Partial<Record<Counter, number>> =
        event.type === 'created'
          ? { casesCreated: 1 }
          : { casesAppended: 1, ...(event.repeat ? { repeatContacts: 1 } : {}) };
      return [
        { op: 'add', scope, period: 'day', start: day, counters },
        {
          op: 'add',
          scope: { dimension: 'topic', id: event.topicId, channel: event.channel },
          period: 'day',
          start: day,
          counters,
        },
        ...(event.type === 'created'
          ? [{ op: 'caseStatus' as const, departmentId: event.departmentId, status: 'OPEN', delta: 1 }]
          : []),
      ];
    }
  }
}

function scopesOf(queue: string, channel: string, settings: MetricsSettings): Scope[] {
  const department = settings.departmentOf(queue);
  return [
    { dimension: 'queue', id: queue, channel },
    ...(department ? [{ dimension: 'department' as const, id: department, channel }] : []),
  ];
}

/** Figures derived from counters, by Connect's definitions; null where there is nothing to divide by. */
export function derived(c: Partial<Record<Counter, number>>) {
  const offered = c.offered ?? 0;
  const answered = c.answered ?? 0;
  const handled = c.handled ?? 0;
  return {
    serviceLevel: offered ? (c.withinServiceLevel ?? 0) / offered : null,
    abandonmentRate: offered ? (c.abandoned ?? 0) / offered : null,
    averageSpeedOfAnswer: answered ? (c.answerSecondsSum ?? 0) / answered : null,
    averageHandleTime: handled ? (c.handleSecondsSum ?? 0) / handled : null,
  };
}
