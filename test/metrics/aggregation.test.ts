import { readFileSync } from 'node:fs';
import { InMemoryMetricsStore } from '../../shared/adapters/memory/metrics-store';
import { parseKinesisRecord, toMetricEvent } from '../../shared/adapters/connect/stream-records';
import { aggregateBatch, coalesce } from '../../shared/domain/metrics/aggregate';
import { derived, effectsOf, type Effect, type MetricsSettings } from '../../shared/domain/metrics/effects';
import { intervalStart } from '../../shared/domain/metrics/model';
import type { MetricsStore } from '../../shared/domain/ports';
import { asKinesis, morning, QUEUES, recordedMorning } from '../support/morning';

const sample = (name: string) => JSON.parse(readFileSync(`test/fixtures/stream/${name}.json`, 'utf8'));
const settings: MetricsSettings = {
  serviceLevelSeconds: 20,
  departmentOf: (queue) => queue.split('/')[1],
  localDate: (at) => new Date(Date.parse(at) - 5 * 3600_000).toISOString().slice(0, 10),
};

describe('reading the stream', () => {
  it('reads a real contact record: queue, wait, agent handle time, transfer', () => {
    const event = toMetricEvent(sample('ctr-voice-transferred-with-agent'));
    expect(event).toMatchObject({
      kind: 'contact-record',
      key: '6fe40d2a-1a89-4d73-bfcf-5d9c33894f47#2022-01-05T17:48:35Z',
      channel: 'VOICE',
      enqueuedAt: '2022-01-05T17:14:46Z',
      queueSeconds: 346,
      connectedToAgentAt: '2022-01-05T17:20:32Z',
      handleSeconds: 239 + 221 + 5,
      transferred: true,
    });
  });

  it('reads the agent lifecycle as supervisor states', () => {
    const states = (sample('agent-event-lifecycle-sequence') as unknown[]).map(
      (e) => (toMetricEvent(e) as { state: string }).state,
    );
    expect(states).toEqual([
      'OFFLINE', // LOGIN, before a status is set
      'AVAILABLE',
      'AVAILABLE',
      'NON_PRODUCTIVE', // Break
      'NON_PRODUCTIVE',
      'NON_PRODUCTIVE', // Lunch
      'NON_PRODUCTIVE',
      'OFFLINE',
      'OFFLINE',
      'OFFLINE', // LOGOUT
      'OFFLINE',
    ]);
  });

  it('reads contact events whatever the casing of channel and keys', () => {
    expect(toMetricEvent(sample('contact-event-connected-to-agent-docs-2021'))).toMatchObject({
      kind: 'contact-event',
      type: 'CONNECTED_TO_AGENT',
      channel: 'VOICE',
      queue: 'arn',
    });
    expect(toMetricEvent(sample('contact-event-disconnected-docs'))).toMatchObject({
      type: 'DISCONNECTED',
      at: '2021-08-04T17:18:37.000Z',
    });
  });

  it('tells unknown shapes and unreadable records apart from events', () => {
    const [unknown, notJson, badChannel] = [
      { kinesis: { data: Buffer.from('{"hello":"world"}').toString('base64'), sequenceNumber: '1' } },
      { kinesis: { data: Buffer.from('{nope').toString('base64'), sequenceNumber: '2' } },
      {
        kinesis: {
          data: Buffer.from(
            JSON.stringify({ ...sample('ctr-voice-transferred-with-agent'), Channel: 'FAX' }),
          ).toString('base64'),
          sequenceNumber: '3',
        },
      },
    ].map(parseKinesisRecord);
    expect(unknown).toEqual({ status: 'unknown', id: '1', shape: 'hello' });
    expect(notJson).toEqual({ status: 'invalid', id: '2', reason: 'not JSON' });
    expect(badChannel).toMatchObject({ status: 'invalid', id: '3' });
  });

  it("counts a contact record by Connect's definitions", () => {
    const effects = effectsOf(toMetricEvent(sample('ctr-voice-transferred-with-agent'))!, settings);
    const add = effects.find(
      (e): e is Extract<Effect, { op: 'add' }> => e.op === 'add' && e.period === '15m',
    )!;
    expect(add.start).toBe('2022-01-05T17:00:00.000Z');
    expect(add.counters).toEqual({
      offered: 1,
      answered: 1,
      answerSecondsSum: 346,
      handled: 1,
      handleSecondsSum: 465,
      transfers: 1,
    });
  });
});

/** The figures computed straight from the ground truth, by hand-checkable loops. */
function expectedFigures(truth: ReturnType<typeof morning>['truth']) {
  const out = new Map<
    string,
    {
      offered: number;
      answered: number;
      abandoned: number;
      within: number;
      answerSum: number;
      handleSum: number;
      longest: number;
    }
  >();
  for (const c of truth) {
    if (c.stillWaiting) continue;
    const key = `${c.queue}|${c.channel}|${intervalStart(c.enqueuedAt.toISOString())}`;
    const f = out.get(key) ?? {
      offered: 0,
      answered: 0,
      abandoned: 0,
      within: 0,
      answerSum: 0,
      handleSum: 0,
      longest: 0,
    };
    f.offered += 1;
    if (c.answered) {
      f.answered += 1;
      f.answerSum += c.waitSeconds;
      f.handleSum += c.handleSeconds;
    } else f.abandoned += 1;
    if (c.waitSeconds < 20) f.within += 1;
    f.longest = Math.max(f.longest, c.waitSeconds);
    out.set(key, f);
  }
  return out;
}

function actualFigures(store: InMemoryMetricsStore) {
  const out = new Map<string, unknown>();
  for (const f of store.figures())
    if (f.scope.dimension === 'queue' && f.period === '15m')
      out.set(`${f.scope.id}|${f.scope.channel}|${f.start}`, {
        offered: f.counters.offered ?? 0,
        answered: f.counters.answered ?? 0,
        abandoned: f.counters.abandoned ?? 0,
        within: f.counters.withinServiceLevel ?? 0,
        answerSum: f.counters.answerSecondsSum ?? 0,
        handleSum: f.counters.handleSecondsSum ?? 0,
        longest: f.longestWaitSeconds,
      });
  return out;
}

async function run(store: MetricsStore, records: ReturnType<typeof asKinesis>, batchSize = 100) {
  for (let i = 0; i < records.length; i += batchSize) {
    const report = await aggregateBatch(records.slice(i, i + batchSize).map(parseKinesisRecord), {
      store,
      settings,
    });
    expect(report.failures).toEqual([]);
    expect(report.invalid).toBe(0);
  }
}

describe('aggregating a recorded morning of traffic', () => {
  const day = recordedMorning();

  it('gives per-interval figures equal to an independent computation from the ground truth', async () => {
    const store = new InMemoryMetricsStore();
    await run(store, asKinesis(day.payloads));
    expect(actualFigures(store)).toEqual(expectedFigures(day.truth));
    expect(day.truth.length).toBeGreaterThanOrEqual(500);
  });

  it('shows who is still waiting and every agent in their latest state', async () => {
    const store = new InMemoryMetricsStore();
    await run(store, asKinesis(day.payloads));
    const live = store.live(day.end);
    const waiting = day.truth.filter((c) => c.stillWaiting);
    for (const queue of QUEUES)
      expect(live.queues[queue]?.waiting ?? 0).toBe(waiting.filter((c) => c.queue === queue).length);
    const expectedAgents = {
      AVAILABLE: 0,
      ON_CONTACT: 0,
      AFTER_CONTACT_WORK: 0,
      NON_PRODUCTIVE: 0,
      OFFLINE: 0,
    };
    for (const state of Object.values(day.agentStates))
      expectedAgents[state as keyof typeof expectedAgents]++;
    expect(live.agents).toEqual(expectedAgents);
  });

  it('gives identical figures when every record is delivered twice and reordered across batches', async () => {
    const once = new InMemoryMetricsStore();
    await run(once, asKinesis(day.payloads));
    const twice = new InMemoryMetricsStore();
    const records = asKinesis([...day.payloads, ...day.payloads]);
    // A fixed shuffle: late deliveries, out of order.
    const shuffled = records
      .map((r, i) => [(i * 7919) % records.length, r] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, r]) => r);
    await run(twice, shuffled, 37);
    expect(twice.figures()).toEqual(once.figures());
    expect(twice.live(day.end)).toEqual(once.live(day.end));
  });

  it.each([
    ['one event at a time', undefined, 100],
    ['in runs of a shard', 'shardId-000000000000', 100],
    ['in runs of a shard, a dozen writes a run', 'shardId-000000000000', 12],
  ])(
    'retries a batch from the record that failed without counting anything twice (%s)',
    async (_how, shard, runLimit) => {
      const reference = new InMemoryMetricsStore();
      await run(reference, asKinesis(day.payloads));
      const inner = new InMemoryMetricsStore();
      let calls = 0;
      const fault = <T>(write: () => Promise<T>) => {
        calls++;
        if (calls % 150 === 0)
          return Promise.reject(Object.assign(new Error('throttled'), { code: 'ThrottlingException' }));
        return write();
      };
      const flaky: MetricsStore = {
        applyIdempotent: (effects) => inner.applyIdempotent(effects),
        recordClock: (clock) => inner.recordClock(clock),
        applyOnce: (key, effects) => fault(() => inner.applyOnce(key, effects)),
        applyVersion: (...version) => fault(() => inner.applyVersion(...version)),
        shardMark: (s) => inner.shardMark(s),
        appliedVersions: (ids) => inner.appliedVersions(ids),
        runLimit,
        applyRun: (r) => (calls++ % 7 === 3 ? Promise.reject(new Error('reset')) : inner.applyRun(r)),
      };
      const records = asKinesis(day.payloads).map(parseKinesisRecord);
      let from = 0;
      let failures = 0;
      while (from < records.length) {
        const batch = records.slice(from, from + 500);
        const report = await aggregateBatch(batch, {
          store: flaky,
          settings,
          concurrency: 8,
          ...(shard ? { shard, now: () => day.end } : {}),
        });
        if (report.failures.length) {
          failures++;
          expect(report.failures[0]!.reason).toBe(shard ? 'Error' : 'ThrottlingException');
          // Lambda redelivers from the failed record: an overlap with what was applied, on purpose.
          from = Math.max(0, records.findIndex((r) => r.id === report.failures[0]!.id) - 20);
        } else from += batch.length;
      }
      expect(failures).toBeGreaterThan(0);
      expect(inner.figures()).toEqual(reference.figures());
      expect(inner.casesByStatus()).toEqual(reference.casesByStatus());
    },
  );

  it('coalesces a batch of idempotent effects into one per agent, interval and contact, with the same result', async () => {
    const records = asKinesis(day.payloads).map(parseKinesisRecord);
    const effects = records.flatMap((r) => (r.status === 'event' ? effectsOf(r.event, settings) : []));
    const idempotent = effects.filter((e) => e.op !== 'add' && e.op !== 'caseStatus');
    const coalesced = coalesce(idempotent);
    expect(coalesced.filter((e) => e.op === 'agent')).toHaveLength(20);
    expect(coalesced.length).toBeLessThan(idempotent.length / 2);
    const one = new InMemoryMetricsStore();
    const all = new InMemoryMetricsStore();
    await one.applyIdempotent(coalesced);
    await all.applyIdempotent(idempotent);
    expect(one.figures()).toEqual(all.figures());
    expect(one.live(day.end)).toEqual(all.live(day.end));
  });

  it('reports the first record when the idempotent writes of a batch fail, and applies no counter', async () => {
    const inner = new InMemoryMetricsStore();
    const failing: MetricsStore = {
      applyIdempotent: () =>
        Promise.reject(Object.assign(new Error('busy'), { name: 'ProvisionedThroughputExceeded' })),
      applyOnce: (key, effects) => inner.applyOnce(key, effects),
      applyVersion: (...version) => inner.applyVersion(...version),
      shardMark: (shard) => inner.shardMark(shard),
      appliedVersions: (ids) => inner.appliedVersions(ids),
      runLimit: inner.runLimit,
      applyRun: (r) => inner.applyRun(r),
      recordClock: (clock) => inner.recordClock(clock),
    };
    const records = asKinesis(day.payloads.slice(0, 50)).map(parseKinesisRecord);
    const report = await aggregateBatch(records, { store: failing, settings, concurrency: 4 });
    expect(report.failures).toEqual([{ id: records[0]!.id, reason: 'ProvisionedThroughputExceeded' }]);
    expect(inner.figures()).toEqual([]);
  });

  it('derives service level, abandonment, speed of answer and handle time from the counters', () => {
    expect(
      derived({
        offered: 10,
        withinServiceLevel: 8,
        abandoned: 1,
        answered: 9,
        answerSecondsSum: 90,
        handled: 9,
        handleSecondsSum: 2700,
      }),
    ).toEqual({
      serviceLevel: 0.8,
      abandonmentRate: 0.1,
      averageSpeedOfAnswer: 10,
      averageHandleTime: 300,
    });
    expect(derived({})).toEqual({
      serviceLevel: null,
      abandonmentRate: null,
      averageSpeedOfAnswer: null,
      averageHandleTime: null,
    });
  });
});

describe('case events', () => {
  const event = (type: 'created' | 'appended' | 'transitioned', extra: Record<string, unknown> = {}) =>
    toMetricEvent({
      ventanilla: 'case-event',
      id: `e-${type}-${JSON.stringify(extra)}`,
      at: '2026-11-24T15:00:00.000Z',
      type,
      ticket: '4829137756',
      channel: 'SMS',
      topicId: 'complaint',
      departmentId: 'general-information',
      ...extra,
    })!;

  it('count cases by channel and topic, repeat contacts, and cases by status', async () => {
    const store = new InMemoryMetricsStore();
    for (const e of [
      event('created'),
      event('appended', { repeat: true }),
      event('appended', { repeat: false }),
      event('transitioned', { from: 'OPEN', to: 'PENDING_RESPONSE' }),
    ])
      await store.applyOnce(e.key, effectsOf(e, settings));
    const day = store.figures().find((f) => f.scope.dimension === 'department' && f.period === 'day')!;
    expect(day).toMatchObject({ start: '2026-11-24', scope: { id: 'general-information', channel: 'SMS' } });
    expect(day.counters).toEqual({ casesCreated: 1, casesAppended: 2, repeatContacts: 1 });
    expect(store.casesByStatus()).toEqual({
      'general-information|OPEN': 0,
      'general-information|PENDING_RESPONSE': 1,
    });
  });

  describe("the events' clock", () => {
    const day = recordedMorning();

    it("keeps the clock of the batch's shard: its newest agent or contact event, after everything else", async () => {
      const store = new InMemoryMetricsStore();
      const records = asKinesis(day.payloads.slice(0, 200)).map(parseKinesisRecord);
      const live = records.flatMap((r) =>
        r.status === 'event' && (r.event.kind === 'agent-event' || r.event.kind === 'contact-event')
          ? [Date.parse(r.event.at)]
          : [],
      );
      const wall = new Date('2026-11-29T23:30:00.000Z');
      const report = await aggregateBatch(records, { store, settings, shard: 'shardId-1', now: () => wall });
      expect(report.failures).toEqual([]);
      expect(store.clocks.get('shardId-1')).toEqual({
        shard: 'shardId-1',
        at: new Date(Math.max(...live)).toISOString(),
        receivedAt: wall.toISOString(),
      });
    });

    it('retries the last event when the clock cannot be written, and counts nothing twice', async () => {
      const inner = new InMemoryMetricsStore();
      let fail = true;
      const store: MetricsStore = {
        applyIdempotent: (effects) => inner.applyIdempotent(effects),
        applyOnce: (key, effects) => inner.applyOnce(key, effects),
        applyVersion: (...version) => inner.applyVersion(...version),
        shardMark: (shard) => inner.shardMark(shard),
        appliedVersions: (ids) => inner.appliedVersions(ids),
        runLimit: inner.runLimit,
        applyRun: (r) => inner.applyRun(r),
        recordClock: (clock) => {
          if (fail) return Promise.reject(Object.assign(new Error('busy'), { name: 'ThrottlingException' }));
          return inner.recordClock(clock);
        },
      };
      const records = asKinesis(day.payloads.slice(0, 120)).map(parseKinesisRecord);
      const deps = { store, settings, shard: 'shardId-2', now: () => new Date('2026-11-29T23:30:00.000Z') };
      const first = await aggregateBatch(records, deps);
      const last = records.at(-1)!;
      expect(first.failures).toEqual([{ id: last.id, reason: 'ThrottlingException' }]);
      const figures = inner.figures();
      fail = false;
      const again = await aggregateBatch([last], deps);
      expect(again.failures).toEqual([]);
      expect(inner.figures()).toEqual(figures);
      expect(inner.clocks.has('shardId-2')).toBe(true);
    });
  });
});
