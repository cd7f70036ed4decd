import { parseKinesisRecord, toMetricEvent } from '../../shared/adapters/connect/stream-records';
import { InMemoryMetricsStore } from '../../shared/adapters/memory/metrics-store';
import { loadConfig } from '../../shared/config/load';
import { aggregateBatch } from '../../shared/domain/metrics/aggregate';
import { parseSimulateArgs } from '../../local/simulate';
import { LOCAL_INSTANCE } from '../../local/simulator/connect-records';
import { simulateDay, type PlannedAgent } from '../../local/simulator/routing';
import { planAgents, simulatedDay, spreadAgents } from '../../local/simulator/run';
import { planDay, script, type PlannedContact } from '../../local/simulator/traffic';
import { differences, expectedIntervals } from '../../local/simulator/truth';
import { asKinesis } from '../support/morning';

const config = loadConfig('config/city-hall');
const START = Date.parse('2026-11-24T13:00:00.000Z');
const queueOf = (c: PlannedContact) => `queue/${c.topic.department}`;
const departmentOf = (queue: string) => queue.split('/')[1];
const localDate = (at: Date) => config.calendar.local(at).date;

type Payload = Record<string, unknown>;
const settings = {
  serviceLevelSeconds: config.deployment.serviceLevelSeconds,
  departmentOf,
  localDate: (at: string) => localDate(new Date(at)),
};

async function play(contacts: readonly PlannedContact[], agents: readonly PlannedAgent[], hours = 2) {
  const payloads: Payload[] = [];
  const outcomes = await simulateDay({
    start: START,
    hours,
    contacts,
    agents,
    // Everyone who needs a person is queued for the topic's department; the rest help themselves.
    runFlow: async (c) =>
      c.topic.needsPerson || c.wantsPerson ? { queue: queueOf(c), attributes: {} } : { attributes: {} },
    emit: (payload) => payloads.push(payload as Payload),
  });
  return { outcomes, payloads };
}

/** What the store gained (queue rows by 15 minutes, department rows by day) and what the ground truth expects. */
function storedAndExpected(store: InMemoryMetricsStore, outcomes: Parameters<typeof expectedIntervals>[0]) {
  const gained = new Map<string, Record<string, number>>();
  for (const f of store.figures())
    if ((f.scope.dimension === 'queue') === (f.period === '15m'))
      gained.set(
        `${f.scope.dimension}|${f.scope.id}|${f.scope.channel}|${f.period}|${f.start}`,
        f.counters as Record<string, number>,
      );
  const expected = expectedIntervals(outcomes, {
    serviceLevelSeconds: config.deployment.serviceLevelSeconds,
    departmentOf,
    localDate,
  });
  return { gained, expected };
}

const agent = (n: number, queues: string[], extra: Partial<PlannedAgent> = {}): PlannedAgent => ({
  agent: {
    arn: `${LOCAL_INSTANCE}/agent/t-${n}`,
    username: `t${n}`,
    profile: { arn: `${LOCAL_INSTANCE}/routing-profile/p`, name: 'p', queues },
  },
  loginAt: 0,
  breakSeconds: 900,
  ...extra,
});

describe('the routing simulator', () => {
  const contacts = planDay({
    contacts: 600,
    hours: 2,
    seed: 3,
    runId: 't',
    catalogue: config.catalogue.onLines,
  });
  const agents = planAgents(spreadAgents(12, config), config, 2, 't', 3);

  it('plans a day with the channel mix, a morning peak, and citizens who come back on the same topic', () => {
    const share = (m: string) => contacts.filter((c) => c.medium === m).length / contacts.length;
    expect(share('voice')).toBeGreaterThan(0.62);
    expect(share('voice')).toBeLessThan(0.78);
    for (const m of ['chat', 'sms', 'whatsapp']) expect(share(m)).toBeGreaterThan(0.05);
    const firstHalfHour = contacts.filter((c) => c.arrival < 1800).length;
    const lastHalfHour = contacts.filter((c) => c.arrival >= 5400).length;
    expect(firstHalfHour).toBeGreaterThan(lastHalfHour);
    const byPhone = new Map<string, Set<string>>();
    for (const c of contacts)
      if (c.phone) (byPhone.get(c.phone) ?? byPhone.set(c.phone, new Set()).get(c.phone)!).add(c.topic.id);
    expect([...byPhone.values()].some((topics) => topics.size === 1)).toBe(true);
    expect(contacts.filter((c) => c.phone).length - byPhone.size).toBeGreaterThan(60);
    // Scripts reach the topic by its menu keys (voice) or its number or keyword (text).
    const voice = contacts.find((c) => c.medium === 'voice' && c.topic.needsPerson)!;
    expect(script(voice).keys).toEqual([
      voice.language === 'es' ? '1' : '2',
      ...voice.topic.menuKey.split('-'),
    ]);
  });

  it('ends every contact exactly once and emits one contact record for each, all readable as Connect payloads', async () => {
    const { outcomes, payloads } = await play(contacts, agents);
    expect(outcomes).toHaveLength(contacts.length);
    expect(new Set(outcomes.map((o) => o.contact.contactId)).size).toBe(contacts.length);
    expect(outcomes.filter((o) => o.result === 'lost')).toEqual([]);
    const records = payloads.filter((p) => 'AWSContactTraceRecordFormatVersion' in p);
    expect(records).toHaveLength(contacts.length);
    const kinds = payloads.map((p) => toMetricEvent(p)?.kind);
    expect(kinds.filter((k) => k === undefined)).toEqual([]);
    expect(new Set(kinds)).toEqual(new Set(['contact-record', 'contact-event', 'agent-event']));
    for (const o of outcomes.filter((x) => x.result === 'handled')) {
      const record = records.find((r) => r.ContactId === o.contact.contactId) as {
        Queue: { Duration: number };
        Agent: { AgentInteractionDuration: number; AfterContactWorkDuration: number };
      };
      expect(record.Queue.Duration).toBe(o.queueSeconds);
      expect(record.Agent.AgentInteractionDuration).toBe(o.contact.talkSeconds);
      expect(record.Agent.AfterContactWorkDuration).toBe(o.contact.afterContactSeconds);
    }
    expect(outcomes.some((o) => o.result === 'abandoned')).toBe(true);
    expect(outcomes.some((o) => o.result === 'handled')).toBe(true);
    expect(outcomes.some((o) => o.result === 'self-service')).toBe(true);
  });

  it('gives agents strictly ordered events, heartbeats every two minutes when idle, a break, and a logout', async () => {
    const { payloads } = await play(contacts, agents);
    const byAgent = new Map<string, Payload[]>();
    for (const p of payloads.filter((x) => 'AgentARN' in x))
      (
        byAgent.get(p.AgentARN as string) ?? byAgent.set(p.AgentARN as string, []).get(p.AgentARN as string)!
      ).push(p);
    expect(byAgent.size).toBe(agents.length);
    for (const events of byAgent.values()) {
      const times = events.map((e) => Date.parse(e.EventTimestamp as string));
      for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThan(times[i - 1]!);
      expect(events[0]!.EventType).toBe('LOGIN');
      expect(events.at(-1)!.EventType).toBe('LOGOUT');
      const states = events.map((e) => (toMetricEvent(e) as { state: string }).state);
      expect(states).toContain('ON_CONTACT');
      expect(states).toContain('AFTER_CONTACT_WORK');
      expect(states).toContain('NON_PRODUCTIVE');
      expect(states.at(-1)).toBe('OFFLINE');
    }
    const heartbeats = payloads.filter((p) => p.EventType === 'HEART_BEAT');
    expect(heartbeats.length).toBeGreaterThan(0);
    for (const h of heartbeats)
      expect((h.CurrentAgentSnapshot as { Contacts: unknown[] }).Contacts).toEqual([]);
  });

  it('routes to the agent idle longest, and lets a caller whose patience runs out go', async () => {
    const topic = config.catalogue.onLines.find((e) => e.needsPerson && e.department === 'tax')!;
    const base = planDay({ contacts: 3, hours: 1, seed: 1, runId: 'r', catalogue: [topic] })[0]!;
    const call = (i: number, arrival: number, patienceSeconds = 600): PlannedContact => ({
      ...base,
      index: i,
      contactId: `r-${i}`,
      arrival,
      medium: 'voice',
      patienceSeconds,
      talkSeconds: 300,
      holdSeconds: 0,
      afterContactSeconds: 30,
    });
    // Agent 2 logs in first, so has been idle longest when the first call comes.
    const team = [agent(1, ['queue/tax'], { loginAt: 60 }), agent(2, ['queue/tax'], { loginAt: 0 })];
    const { outcomes, payloads } = await play([call(0, 120), call(1, 130), call(2, 140, 45)], team, 1);
    const agentOf = (id: string) =>
      ((payloads.find((p) => p.ContactId === id) as { Agent: { ARN: string } | null }).Agent?.ARN ?? '')
        .split('/')
        .at(-1);
    expect(agentOf('r-0')).toBe('t-2');
    expect(agentOf('r-1')).toBe('t-1');
    const third = outcomes.find((o) => o.contact.contactId === 'r-2')!;
    expect(third).toMatchObject({ result: 'abandoned', queueSeconds: 45 });
  });

  it("keeps a callback caller's place: their callback is routed before later callers, and counted as Connect counts it", async () => {
    const topic = config.catalogue.onLines.find((e) => e.needsPerson && e.department === 'tax')!;
    const base = planDay({ contacts: 1, hours: 1, seed: 2, runId: 'c', catalogue: [topic] })[0]!;
    const call = (i: number, arrival: number, extra: Partial<PlannedContact> = {}): PlannedContact => ({
      ...base,
      index: i,
      contactId: `c-${i}`,
      arrival,
      medium: 'voice',
      phone: `+5076000000${i}`,
      flowSeconds: 20,
      patienceSeconds: 3600,
      talkSeconds: 300,
      holdSeconds: 0,
      afterContactSeconds: 30,
      callbackAnswersOnAttempt: 1,
      ...extra,
    });
    const settings5 = { initialDelaySeconds: 5, maxAttempts: 2, retryDelaySeconds: 60 };
    // One agent, busy with c-0; c-1 asks for a callback (its flow saw the queue), c-2 and c-3 wait on the line.
    // c-4 asks for one too but never answers: two attempts, then it fails.
    const contacts = [
      call(0, 0),
      call(1, 10),
      call(2, 40),
      call(3, 50),
      call(4, 60, { callbackAnswersOnAttempt: 9 }),
    ];
    const seen: { id: string; size: number }[] = [];
    const payloads: Payload[] = [];
    const outcomes = await simulateDay({
      start: START,
      hours: 1,
      contacts,
      agents: [agent(1, ['queue/tax'])],
      lookahead: 0,
      runFlow: async (c, queues) => {
        seen.push({ id: c.contactId, size: queues('queue/tax').size });
        const attributes = { queueArn: 'queue/tax', callbackOffered: 'true' };
        return c.index === 1 || c.index === 4
          ? {
              attributes: { ...attributes, callbackRequested: 'true' },
              callback: { queue: 'queue/tax', number: c.phone!, ...settings5 },
            }
          : c.index === 0
            ? { queue: 'queue/tax', attributes: { queueArn: 'queue/tax' } }
            : { queue: 'queue/tax', attributes };
      },
      emit: (payload) => payloads.push(payload as Payload),
    });
    // The flows saw the queue as it was: empty for the first caller, then holding those ahead.
    expect(seen.find((s) => s.id === 'c-0')!.size).toBe(0);
    expect(seen.find((s) => s.id === 'c-3')!.size).toBeGreaterThan(0);

    const answeredOrder = payloads
      .filter((p) => (p.detail as { eventType?: string } | undefined)?.eventType === 'CONNECTED_TO_AGENT')
      .map((p) => (p.detail as { contactId: string }).contactId);
    expect(answeredOrder.slice(0, 4)).toEqual(['c-0', 'c-1-cb', 'c-2', 'c-3']);

    type Record_ = Record<string, unknown> & {
      Queue: { EnqueueTimestamp: string };
      ConnectedToSystemTimestamp: string | null;
    };
    const record = (id: string) => payloads.find((p) => p.ContactId === id) as Record_;
    expect(record('c-1')).toMatchObject({
      InitiationMethod: 'INBOUND',
      NextContactId: 'c-1-cb',
      Queue: null,
    });
    const callback = record('c-1-cb');
    expect(callback).toMatchObject({
      InitiationMethod: 'CALLBACK',
      PreviousContactId: 'c-1',
      InitialContactId: 'c-1',
      CustomerEndpoint: { Address: '+50760000001' },
      Queue: { ARN: 'queue/tax' },
      AgentConnectionAttempts: 1,
    });
    // Its own queue time: from its queueing (the request plus the delay) to the agent's call.
    expect(Date.parse(callback.Queue.EnqueueTimestamp)).toBe(START + (10 + 20 + 5) * 1000);
    expect(callback.ConnectedToSystemTimestamp).not.toBeNull();
    const failed = record('c-4-cb');
    expect(failed).toMatchObject({ AgentConnectionAttempts: 2, ConnectedToSystemTimestamp: null });
    expect(
      outcomes
        .filter((o) => o.callback)
        .map((o) => o.result)
        .sort(),
    ).toEqual(['callback-failed', 'handled']);
    // Nothing left: every contact and callback ended.
    expect(outcomes).toHaveLength(contacts.length + 2);

    const store = new InMemoryMetricsStore();
    const records = asKinesis(payloads).map(parseKinesisRecord);
    expect((await aggregateBatch(records, { store, settings, concurrency: 4 })).failures).toEqual([]);
    const { gained, expected } = storedAndExpected(store, outcomes);
    expect(differences(expected, gained)).toEqual([]);
    const day = [...gained.entries()].find(([k]) => k.startsWith('department|tax|VOICE|day'))![1];
    expect(day).toMatchObject({
      callbacksOffered: 4,
      callbacksRequested: 2,
      callbacksHandled: 1,
      callbacksFailed: 1,
      offered: 5, // three callers on the line and two callback contacts
    });
    expect(day.abandoned ?? 0).toBe(0);
  });

  it('emits exactly what gives the ground truth when aggregated', async () => {
    const { outcomes, payloads } = await play(contacts, agents);
    const store = new InMemoryMetricsStore();
    const records = asKinesis(payloads).map(parseKinesisRecord);
    for (let i = 0; i < records.length; i += 200)
      expect(
        (await aggregateBatch(records.slice(i, i + 200), { store, settings, concurrency: 4 })).failures,
      ).toEqual([]);
    const { gained, expected } = storedAndExpected(store, outcomes);
    expect(expected.size).toBeGreaterThan(10);
    expect(differences(expected, gained)).toEqual([]);
    expect(store.live(new Date(START + 24 * 3600_000)).queues).toEqual({});
    // A wrong figure is caught.
    const [key, row] = [...gained.entries()].find(([k]) => k.startsWith('queue|'))!;
    gained.set(key, { ...row, offered: (row.offered ?? 0) + 1 });
    expect(differences(expected, gained)).toEqual([expect.stringContaining('offered: expected')]);
  });

  it('stops where it is on Ctrl-C: nothing left waiting or logged in, and the figures still equal the truth', async () => {
    const controller = new AbortController();
    const payloads: Payload[] = [];
    let ended = 0;
    const outcomes = await simulateDay({
      start: START,
      hours: 2,
      contacts,
      agents,
      runFlow: async (c) =>
        c.topic.needsPerson || c.wantsPerson ? { queue: queueOf(c), attributes: {} } : { attributes: {} },
      emit: (payload) => payloads.push(payload as Payload),
      // Stopped in the morning peak, with contacts waiting, talking and in after-contact work.
      progress: () => {
        if (++ended === 150) controller.abort();
      },
      signal: controller.signal,
    });
    expect(outcomes.length).toBeGreaterThan(150);
    expect(outcomes.length).toBeLessThan(contacts.length);
    expect(outcomes.filter((o) => o.reason === 'stopped').length).toBeGreaterThan(5);
    expect(new Set(outcomes.map((o) => o.contact.contactId)).size).toBe(outcomes.length);
    const store = new InMemoryMetricsStore();
    const records = asKinesis(payloads).map(parseKinesisRecord);
    expect((await aggregateBatch(records, { store, settings, concurrency: 4 })).failures).toEqual([]);
    const live = store.live(new Date(START + 24 * 3600_000));
    expect(live.queues).toEqual({});
    expect(live.agents).toEqual({ ...live.agents, OFFLINE: agents.length });
    const { gained, expected } = storedAndExpected(store, outcomes);
    expect(differences(expected, gained)).toEqual([]);
  });

  // Saturday night, Sunday evening, a holiday (Mothers' Day, a Tuesday) and 03:00 on a Monday, in Panama.
  it.each([
    ['Saturday 23:30', '2026-11-29T04:30:00Z', '2026-11-27'],
    ['Sunday 20:00', '2026-11-30T01:00:00Z', '2026-11-27'],
    ['the 8 December holiday, 10:00', '2026-12-08T15:00:00Z', '2026-12-07'],
    ['Monday 03:00', '2026-11-30T08:00:00Z', '2026-11-30'],
  ])('plays a working day when the date is not given, on %s', (_when, wall, expected) => {
    const { day, start } = simulatedDay(config, undefined, new Date(wall));
    expect(day).toBe(expected);
    for (const d of config.deployment.departments)
      expect(config.calendar.isBusinessDay(d.id, day)).toBe(true);
    const open = (at: number) =>
      config.deployment.departments.filter((d) => config.calendar.isOpen(d.id, new Date(at)));
    expect(open(start).length).toBeGreaterThan(0);
    expect(open(start - 60_000)).toEqual([]);
  });

  it('rejects bad command-line values with the flag named', () => {
    expect(parseSimulateArgs(['--contacts', '10', '--speed', 'max']).speed).toBe(Infinity);
    expect(() => parseSimulateArgs(['--contacts', '-3'])).toThrow(
      '--contacts must be a positive whole number',
    );
    expect(() => parseSimulateArgs(['--date', '24/11/2026'])).toThrow('--date must be YYYY-MM-DD');
    expect(() => parseSimulateArgs(['--date', '2026-02-30'])).toThrow('--date must be YYYY-MM-DD');
    expect(() => parseSimulateArgs(['--date', '2020-01-06'])).toThrow(
      /--date 2020-01-06 is more than 762 days ago/,
    );
    expect(() => parseSimulateArgs(['--agents'])).toThrow('--agents needs a value');
    expect(() => parseSimulateArgs(['--fast'])).toThrow('unknown option --fast');
  });
});
