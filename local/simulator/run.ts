import { generalDepartment } from '../../shared/domain/departments';
import { randomBytes } from 'node:crypto';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { DynamoMetricsStore } from '../../shared/adapters/dynamodb/metrics-store';
import { KinesisPublisher } from '../../shared/adapters/kinesis/publisher';
import type { LoadedConfig } from '../../shared/config/load';
import { addDays } from '../../shared/domain/calendar';
import { CHANNELS as CASE_CHANNELS } from '../../shared/domain/case';
import { INTERVAL_COUNTERS, type Scope } from '../../shared/domain/metrics/effects';
import { seededRandom } from '../../shared/domain/random';
import { agentsNeeded } from './staffing';
import { localFlowEngine, localQueues, LOCAL } from '../contact-center';
import { EVENT_STREAM } from '../back-end';
import { runContact, type FlowFunction } from '../flow-engine';
import { simulateDay, type ContactOutcome, type PlannedAgent, type QueueProbe } from './routing';
import { differences, expectedIntervals } from './truth';
import { decide, MEDIA, planDay, script, type PlannedContact } from './traffic';
import { LOCAL_INSTANCE, type RoutingProfile } from './connect-records';

export interface SimulationOptions {
  readonly contacts: number;
  /** Agents for the day, or 'auto': as many as Erlang C says the day's traffic needs. */
  readonly agents: number | 'auto';
  readonly preset?: Preset;
  readonly hours: number;
  /** Simulated seconds per real second; Infinity runs the day as fast as the machine allows. */
  readonly speed: number;
  readonly seed?: number;
  /** The local date to simulate (YYYY-MM-DD); by default the latest working day (see simulatedDay). */
  readonly date?: string;
  /** The wall clock's now, which picks the default day (tests set it; the real one otherwise). */
  readonly now?: Date;
  /** How long to wait for the metrics to settle before calling them different, in ms. */
  readonly settleMs?: number;
  readonly onProgress?: (progress: { ended: number; total: number; at: Date; events: number }) => void;
  /** Said once, when the machine cannot keep up with `speed`: the day then runs as fast as it can keep up. */
  readonly onBehind?: (behind: { asked: number; seconds: number }) => void;
  /** Stops the day where it is (Ctrl-C): see simulateDay. */
  readonly signal?: AbortSignal;
}

/** Seconds behind the asked speed, in real time, after which the day slows down rather than catch up. */
const BEHIND_SECONDS = 2;
/** How far, in real seconds at the asked speed, the simulated clock may run ahead of what the aggregator applied. */
const AGGREGATOR_LAG_SECONDS = 3;

export interface SimulationTarget {
  readonly config: LoadedConfig;
  readonly handlers: {
    lookup: FlowFunction;
    createCase: FlowFunction;
    caseStatus: FlowFunction;
    appointments?: FlowFunction;
  };
  readonly kinesis: KinesisClient;
  readonly stream: string;
  readonly metrics: DynamoMetricsStore;
}

export interface SimulationReport {
  readonly date: string;
  readonly from: string;
  readonly to: string;
  /** Every contact that arrived, on any channel. */
  readonly contacts: number;
  /** Contacts queued for a person (Connect's "offered"), callback contacts included. */
  readonly offered: number;
  /** Inbound contacts an agent handled (callback contacts are counted under `callbacks`). */
  readonly handled: number;
  readonly abandoned: number;
  /** Contacts the flows answered and ended: self-service, after hours. */
  readonly selfService: number;
  readonly serviceLevel: number | null;
  readonly serviceLevelSeconds: number;
  /** The longest any contact waited in a queue, in seconds (the dashboard's oldest contact never shows more). */
  readonly longestWaitSeconds: number;
  readonly casesCreated: number;
  readonly casesAppended: number;
  /**
   * Queued callbacks: inbound calls offered one and that asked for one; callback contacts handled (the
   * citizen answered an agent's call), failed (no attempt answered) and stopped (the day stopped first).
   */
  readonly callbacks: {
    readonly offered: number;
    readonly requested: number;
    readonly handled: number;
    readonly failed: number;
    readonly stopped: number;
  };
  /** Contacts with no end (a requested callback included), or whose record never reached the metrics: must be 0. */
  readonly lost: number;
  readonly metricsMatch: boolean;
  readonly mismatches: readonly string[];
  readonly agents: number;
  readonly events: number;
  /** The flows' function invocations, and those that took the error branch (past the time limit, failed). */
  readonly invocations: { readonly calls: number; readonly timedOut: number; readonly failed: number };
  /** Simulated seconds per real second: asked (null for max) and achieved while playing. */
  readonly speed: { readonly asked: number | null; readonly achieved: number };
  /** How many times slower than asked the day played (1 when it kept up; null for max). */
  readonly slowerThanAsked: number | null;
  /** Stopped before the end (Ctrl-C): the figures are those of the contacts that arrived. */
  readonly stopped: boolean;
  readonly seconds: number;
  /** Of which waiting for the metrics to catch up after the last contact ended. */
  readonly settleSeconds: number;
  readonly contactsPerSecond: number;
}

const DEPARTMENT_CHANNELS = ['VOICE', 'CHAT'] as const;

/** A local back end started in this process, as the target of a simulation. */
export const localTarget = (
  backEnd: Pick<SimulationTarget, 'handlers' | 'kinesis' | 'metrics'>,
  config: LoadedConfig,
): SimulationTarget => ({
  config,
  handlers: backEnd.handlers,
  kinesis: backEnd.kinesis,
  stream: EVENT_STREAM,
  metrics: backEnd.metrics,
});

/**
 * The day to play: the given date; or today when every department opens today; or else the latest day before
 * it on which they all opened (a weekday that is not a holiday); failing that, the latest day any opened.
 * Whatever the wall clock says — a Sunday night, a holiday, 03:00 — a real working day is played, and the
 * dashboard follows the day of its events.
 */
export function simulatedDay(config: LoadedConfig, date: string | undefined, now = new Date()) {
  const { calendar, deployment } = config;
  const openOn = (day: string) => deployment.departments.filter((d) => calendar.isBusinessDay(d.id, day));
  let day = date;
  if (!day) {
    const today = calendar.local(now).date;
    const candidates = Array.from({ length: 15 }, (_, i) => addDays(today, -i));
    day =
      candidates.find((d) => openOn(d).length === deployment.departments.length) ??
      candidates.find((d) => openOn(d).length > 0) ??
      today;
  }
  const midnight = calendar.instantAt(day, 0);
  const openings = openOn(day).map((d) => calendar.nextOpening(d.id, midnight).getTime());
  return { day, start: openings.length ? Math.min(...openings) : calendar.instantAt(day, 8 * 60).getTime() };
}

/** Agents of a department: those at work from the opening, and those who log in later in the day. */
export interface Staff {
  readonly fromOpening: number;
  readonly later: number;
}

/** `count` agents spread over departments by the work their topics bring, all from the opening. */
export function spreadAgents(count: number, config: LoadedConfig): Map<string, Staff> {
  const departments = config.deployment.departments.map((d) => d.id);
  const general = generalDepartment(config.deployment);
  const demand = new Map(departments.map((d) => [d, 0]));
  for (const t of config.catalogue.onLines) {
    if (t.needsPerson) demand.set(t.department, demand.get(t.department)! + 1);
    else demand.set(general, demand.get(general)! + 0.3);
  }
  const total = [...demand.values()].reduce((a, b) => a + b, 0);
  const shares = departments.map((d) => ({ d, exact: (count * demand.get(d)!) / total }));
  const counts = new Map(shares.map((s) => [s.d, Math.floor(s.exact)]));
  let left = count - [...counts.values()].reduce((a, b) => a + b, 0);
  for (const s of [...shares].sort((a, b) => (b.exact % 1) - (a.exact % 1)))
    if (left-- > 0) counts.set(s.d, counts.get(s.d)! + 1);
  return new Map(departments.map((d) => [d, { fromOpening: counts.get(d)!, later: 0 }]));
}

/** The scenarios `--preset` names. */
export const PRESETS = ['understaffed-morning'] as const;
export type Preset = (typeof PRESETS)[number];
/** In the understaffed morning, this share of the agents needed is at work until the peak is over. */
export const UNDERSTAFFED_SHARE = 0.55;
/** When the late shift of the understaffed morning logs in, as a share of the day. */
export const LATE_SHIFT_AT = 0.45;

/**
 * Agents per department for the day's traffic, by Erlang C: enough to answer the deployment's service-level
 * target (80 % within 20 s in the city hall) in the busiest hour of each department's queue, given the
 * contacts that will ask for a person there while it is open and their mean handle time. The understaffed
 * morning starts with 55 % of them; the rest log in once the morning peak is over.
 */
export function staffForDay(
  contacts: readonly PlannedContact[],
  config: LoadedConfig,
  start: number,
  preset?: Preset,
): Map<string, Staff> {
  const { deployment, calendar } = config;
  const target = deployment.dashboard?.serviceLevelTarget ?? 0.8;
  const staff = new Map<string, Staff>();
  for (const d of deployment.departments) {
    const wanting = contacts.filter(
      (c) =>
        (c.topic.needsPerson || c.wantsPerson) &&
        c.topic.department === d.id &&
        calendar.isOpen(d.id, new Date(start + c.arrival * 1000)),
    );
    const perHour = new Map<number, number>();
    for (const c of wanting) {
      const hour = Math.floor(c.arrival / 3600);
      perHour.set(hour, (perHour.get(hour) ?? 0) + 1);
    }
    const peak = Math.max(0, ...perHour.values()) / 3600;
    const handle = wanting.length
      ? wanting.reduce((n, c) => n + c.talkSeconds + c.holdSeconds + c.afterContactSeconds, 0) /
        wanting.length
      : 0;
    const needed = peak ? agentsNeeded(peak, handle, target, deployment.serviceLevelSeconds) : 1;
    const fromOpening =
      preset === 'understaffed-morning' ? Math.max(1, Math.round(needed * UNDERSTAFFED_SHARE)) : needed;
    staff.set(d.id, { fromOpening, later: needed - fromOpening });
  }
  return staff;
}

/** The agents of the day per department; all also serve the general line. */
export function planAgents(
  staff: ReadonlyMap<string, Staff>,
  config: LoadedConfig,
  hours: number,
  runId: string,
  seed: number,
): PlannedAgent[] {
  const random = seededRandom(seed ^ 0x5eed);
  const departments = config.deployment.departments.map((d) => d.id);
  const general = generalDepartment(config.deployment);
  const profiles = new Map<string, RoutingProfile>(
    departments.map((d) => [
      d,
      {
        arn: `${LOCAL_INSTANCE}/routing-profile/${d}`,
        name: config.deployment.departments.find((x) => x.id === d)!.name.es,
        queues: d === general ? [LOCAL.queue(d)] : [LOCAL.queue(d), LOCAL.queue(general)],
      },
    ]),
  );
  const span = hours * 3600;
  const agents: PlannedAgent[] = [];
  for (const d of departments) {
    const { fromOpening, later } = staff.get(d) ?? { fromOpening: 0, later: 0 };
    for (let i = 0; i < fromOpening + later; i++) {
      const n = agents.length + 1;
      const late = i >= fromOpening;
      agents.push({
        agent: {
          arn: `${LOCAL_INSTANCE}/agent/${runId}-${String(n).padStart(4, '0')}`,
          username: `agent${String(n).padStart(4, '0')}`,
          profile: profiles.get(d)!,
        },
        loginAt: (late ? Math.floor(span * LATE_SHIFT_AT) : -300) + (n % 60) * 4,
        ...(hours >= 2 && !late ? { breakAt: Math.floor(span * (0.3 + 0.4 * random())) } : {}),
        breakSeconds: 900,
      });
    }
  }
  return agents;
}

/**
 * Plays a day against a running local back end: every contact runs the generated flows with the production
 * functions (so cases are real), queues and agents are simulated, and everything Connect would stream goes
 * to the Kinesis stream the metrics aggregator reads. Ends when the metrics the aggregator stored equal the
 * simulator's own ground truth, or when they stop changing.
 */
export async function simulate(
  target: SimulationTarget,
  options: SimulationOptions,
): Promise<SimulationReport> {
  const began = Date.now();
  const { config } = target;
  const { deployment, calendar } = config;
  const seed = options.seed ?? 1;
  const runId = `sim-${randomBytes(4).toString('hex')}`;
  const { day, start } = simulatedDay(config, options.date, options.now);
  const contacts = planDay({
    contacts: options.contacts,
    hours: options.hours,
    seed,
    runId,
    catalogue: config.catalogue.onLines,
  });
  const staff =
    options.agents === 'auto'
      ? staffForDay(contacts, config, start, options.preset)
      : spreadAgents(options.agents, config);
  const agents = planAgents(staff, config, options.hours, runId, seed);
  const queues = localQueues(deployment);
  const localDate = (at: Date) => calendar.local(at).date;
  const scopes = [
    ...queues.pairs
      .map(([q]) => q)
      .flatMap((q) =>
        DEPARTMENT_CHANNELS.map((channel) => ({
          scope: { dimension: 'queue', id: q, channel } as Scope,
          period: '15m' as const,
        })),
      ),
    ...deployment.departments.flatMap((d) =>
      DEPARTMENT_CHANNELS.map((channel) => ({
        scope: { dimension: 'department', id: d.id, channel } as Scope,
        period: 'day' as const,
      })),
    ),
  ];
  const caseScopes = deployment.departments.flatMap((d) =>
    CASE_CHANNELS.map((channel) => ({ dimension: 'department', id: d.id, channel }) as Scope),
  );
  const windowTo = new Date(start + (options.hours + 12) * 3600_000).toISOString();
  const firstDay = addDays(day, -1);
  const realDays = [localDate(new Date()), addDays(localDate(new Date()), 1)];
  const snapshot = async () => {
    const figures = new Map<string, Record<string, number>>();
    await Promise.all(
      scopes.map(async ({ scope, period }) => {
        const rows = await target.metrics.intervalRows(
          scope,
          period,
          period === '15m' ? new Date(start - 3600_000).toISOString() : firstDay,
          period === '15m' ? windowTo : addDays(day, 1),
        );
        for (const row of rows)
          figures.set(
            `${scope.dimension}|${scope.id}|${scope.channel}|${period}|${row.start}`,
            Object.fromEntries(INTERVAL_COUNTERS.map((c) => [c, Number(row[c] ?? 0)])),
          );
      }),
    );
    let cases = { created: 0, appended: 0 };
    const caseRows = await Promise.all(
      caseScopes.map((scope) => target.metrics.intervalRows(scope, 'day', realDays[0]!, realDays[1]!)),
    );
    for (const row of caseRows.flat())
      cases = {
        created: cases.created + Number(row.casesCreated ?? 0),
        appended: cases.appended + Number(row.casesAppended ?? 0),
      };
    const live = await target.metrics.live(new Date());
    return { figures, cases, waiting: live.queues.reduce((n, q) => n + q.waiting, 0) };
  };
  const before = await snapshot();

  // The flows, with the case function watched for what it answered each contact.
  const caseResults = new Map<string, string>();
  const unanswered = new Map<string, unknown>();
  const createCase: FlowFunction = async (event) => {
    const id = (event as { Details: { ContactData: { ContactId: string } } }).Details.ContactData.ContactId;
    unanswered.set(id, event);
    const result = (await target.handlers.createCase(event)) as Record<string, string>;
    unanswered.delete(id);
    if (result?.result) caseResults.set(id, result.result);
    return result;
  };
  const engine = localFlowEngine(config, { ...target.handlers, createCase });
  const invocations = { calls: 0, timedOut: 0, failed: 0 };
  const runFlow = async (contact: PlannedContact, queues: QueueProbe) => {
    const medium = MEDIA[contact.medium];
    const arrival = new Date(start + (contact.arrival + 5) * 1000);
    const outcome = await runContact(
      { ...engine, now: () => arrival, queueMetrics: queues },
      medium.channel === 'VOICE' ? LOCAL.voiceFlow : LOCAL.textFlow,
      {
        channel: medium.channel,
        ...(medium.subtype ? { subtype: medium.subtype } : {}),
        ...(contact.phone ? { phone: contact.phone } : {}),
        ...script(contact),
        ask: async (_prompt, _kind, actionId) => decide(contact, actionId),
      },
      contact.contactId,
    );
    invocations.calls += outcome.invocations.calls;
    invocations.timedOut += outcome.invocations.timedOut;
    invocations.failed += outcome.invocations.failed;
    return {
      ...(outcome.end.kind === 'queued' ? { queue: outcome.end.queue } : {}),
      attributes: outcome.attributes,
      ...(outcome.callback ? { callback: outcome.callback } : {}),
    };
  };

  // The stream: payloads in simulated-time order, put in batches, one request at a time.
  const publisher = new KinesisPublisher(target.kinesis, target.stream);
  let buffer: { partitionKey: string; data: unknown }[] = [];
  let events = 0;
  let sending = Promise.resolve();
  let publishError: unknown;
  const flush = () => {
    const batch = buffer;
    buffer = [];
    if (batch.length)
      sending = sending.then(() =>
        publisher.publish(batch).catch((error: unknown) => {
          publishError ??= error;
        }),
      );
    return sending;
  };
  const timer = setInterval(() => void flush(), 100);
  const realStart = Date.now();
  const paced = Number.isFinite(options.speed) && options.speed > 0;
  // Pacing: simulated `at` is due at anchor + (at - anchorAt) / speed. A machine that falls behind by more
  // than a moment says so once and carries on from where it is, instead of rushing to catch up (which only
  // piles more work on a machine that is already short).
  let anchor = realStart;
  let anchorAt = start;
  let behind = false;
  let reached = start;
  /** Says once that the day cannot keep up, and paces on from here. */
  const fallBehind = (at: number, seconds: number) => {
    if (!behind) options.onBehind?.({ asked: options.speed, seconds });
    behind = true;
    anchor = Date.now();
    anchorAt = at;
  };
  // How far the aggregator has got: the newest live event it applied from this run (its shards' clocks written
  // since the run began), read at most every half second, against the newest this run emitted. Only events
  // already emitted are waited for, so a quiet stretch of the day never waits on events that do not exist.
  let newestEmitted = -Infinity;
  let appliedAt = { read: 0, at: -Infinity };
  const applied = async () => {
    if (Date.now() - appliedAt.read < 500) return appliedAt.at;
    const clocks = (await target.metrics.clocks()).filter((c) => Date.parse(c.receivedAt) >= realStart);
    appliedAt = { read: Date.now(), at: Math.max(-Infinity, ...clocks.map((c) => Date.parse(c.at))) };
    return appliedAt.at;
  };
  let outcomes: ContactOutcome[];
  try {
    outcomes = await simulateDay({
      start,
      hours: options.hours,
      contacts,
      agents,
      runFlow,
      lookahead: paced ? 4 : 16,
      emit: (data, partitionKey) => {
        events++;
        const e = data as { 'detail-type'?: string; time?: string; EventTimestamp?: string };
        const time = e['detail-type'] ? e.time : e.EventTimestamp;
        if (time) newestEmitted = Math.max(newestEmitted, Date.parse(time));
        buffer.push({ partitionKey, data });
      },
      pace: async (at) => {
        reached = at;
        if (buffer.length >= 500) await flush();
        if (!paced) return;
        // The dashboard shows what the aggregator has applied: wait for it when it falls behind, so that
        // what a supervisor sees stays within a few seconds of the simulated clock.
        let waited = false;
        while (newestEmitted - (await applied()) > AGGREGATOR_LAG_SECONDS * 1000 * options.speed) {
          waited = true;
          await flush();
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        if (waited) return fallBehind(at, AGGREGATOR_LAG_SECONDS);
        const due = anchor + (at - anchorAt) / options.speed;
        const wait = due - Date.now();
        if (wait > 5) await new Promise((resolve) => setTimeout(resolve, wait));
        else if (-wait > BEHIND_SECONDS * 1000) fallBehind(at, Math.round(-wait / 100) / 10);
      },
      progress: (ended, at) =>
        options.onProgress?.({ ended, total: contacts.length, at: new Date(at), events }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    await flush();
  } finally {
    clearInterval(timer);
  }
  if (publishError) throw publishError;
  const playedAt = Date.now();
  const stopped = options.signal?.aborted ?? false;
  const achieved = (reached - start) / 1000 / Math.max(0.001, (playedAt - realStart) / 1000);

  // A case request whose answer did not come back in time (the caller went on to a person) may still have
  // been written. Asked again, the function answers from the contact's first intake, or takes it now: the
  // case an agent would find.
  for (const [id, event] of unanswered)
    for (let attempt = 0; attempt < 5 && !caseResults.has(id); attempt++) {
      const result = (await target.handlers.createCase(event).catch(() => undefined)) as
        Record<string, string> | undefined;
      if (result?.result) caseResults.set(id, result.result);
      else if (result) break;
    }

  // The contacts as they came in, and the callback contacts their flows created.
  const inbound = outcomes.filter((o) => !o.callback);
  const callbackLegs = outcomes.filter((o) => o.callback);
  const count = (result: ContactOutcome['result']) => inbound.filter((o) => o.result === result).length;
  const handled = count('handled');
  const abandoned = count('abandoned');
  const selfService = count('self-service');
  const callbacks = {
    offered: inbound.filter((o) => o.callbackOffered).length,
    requested: count('callback-requested'),
    handled: callbackLegs.filter((o) => o.result === 'handled').length,
    failed: callbackLegs.filter((o) => o.result === 'callback-failed').length,
    stopped: callbackLegs.filter((o) => o.result === 'abandoned').length,
  };
  const queued = outcomes.filter((o) => o.queue && o.enqueuedAt !== undefined);
  const within = queued.filter((o) => o.queueSeconds! < deployment.serviceLevelSeconds).length;
  const casesCreated = [...caseResults.values()].filter((r) => r === 'created').length;
  const casesAppended = [...caseResults.values()].filter((r) => r === 'appended').length;
  const expected = expectedIntervals(outcomes, {
    serviceLevelSeconds: deployment.serviceLevelSeconds,
    departmentOf: (q) => queues.departmentOf(q),
    localDate,
  });

  // Wait for the aggregator: until the stored figures gained exactly the truth, or stop changing.
  const settleMs = stopped ? Math.min(options.settleMs ?? 15_000, 5_000) : (options.settleMs ?? 15_000);
  let mismatches: string[];
  let missingRecords: number;
  let lastChange = Date.now();
  let previous = '';
  for (;;) {
    const after = await snapshot();
    const gained = new Map<string, Record<string, number>>();
    for (const [key, counters] of after.figures) {
      const base = before.figures.get(key) ?? {};
      gained.set(
        key,
        Object.fromEntries(Object.entries(counters).map(([name, v]) => [name, v - (base[name] ?? 0)])),
      );
    }
    mismatches = differences(expected, gained);
    const createdGain = after.cases.created - before.cases.created;
    const appendedGain = after.cases.appended - before.cases.appended;
    if (createdGain !== casesCreated)
      mismatches.push(`cases created: expected ${casesCreated}, stored ${createdGain}`);
    if (appendedGain !== casesAppended)
      mismatches.push(`cases appended: expected ${casesAppended}, stored ${appendedGain}`);
    if (after.waiting !== before.waiting)
      mismatches.push(`contacts still shown waiting: ${after.waiting - before.waiting}`);
    const storedOffered = [...gained.entries()]
      .filter(([key]) => key.startsWith('queue|'))
      .reduce((n, [, c]) => n + (c.offered ?? 0), 0);
    missingRecords = Math.max(0, queued.length - storedOffered);
    if (!mismatches.length) break;
    const state = mismatches.join('\n');
    if (state !== previous) {
      previous = state;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > settleMs) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const seconds = (Date.now() - began) / 1000;
  const ends = outcomes.map((o) => o.contact.arrival);
  const arrivedCount = stopped ? outcomes.length : contacts.length;
  return {
    date: day,
    from: new Date(start).toISOString(),
    to: new Date(start + Math.max(options.hours * 3600, ...ends) * 1000).toISOString(),
    contacts: arrivedCount,
    offered: queued.length,
    handled,
    abandoned,
    selfService,
    serviceLevel: queued.length ? Math.round((within / queued.length) * 10_000) / 10_000 : null,
    serviceLevelSeconds: deployment.serviceLevelSeconds,
    longestWaitSeconds: Math.max(0, ...queued.map((o) => o.queueSeconds ?? 0)),
    casesCreated,
    casesAppended,
    callbacks,
    // Every contact ended (a callback requested counts once its callback contact ended too).
    lost:
      arrivedCount -
      handled -
      abandoned -
      selfService -
      callbacks.requested +
      (callbacks.requested - callbacks.handled - callbacks.failed - callbacks.stopped) +
      missingRecords,
    metricsMatch: mismatches.length === 0,
    mismatches: mismatches.slice(0, 20),
    agents: agents.length,
    events,
    invocations,
    speed: {
      asked: paced ? options.speed : null,
      achieved: Math.round(achieved * 10) / 10,
    },
    slowerThanAsked: paced ? Math.max(1, Math.round((options.speed / achieved) * 10) / 10) : null,
    stopped,
    seconds: Math.round(seconds * 10) / 10,
    settleSeconds: Math.round((Date.now() - playedAt) / 100) / 10,
    contactsPerSecond: Math.round((arrivedCount / seconds) * 10) / 10,
  };
}
