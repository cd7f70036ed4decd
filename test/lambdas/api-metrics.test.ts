import { parseKinesisRecord } from '../../shared/adapters/connect/stream-records';
import { DynamoMetricsStore } from '../../shared/adapters/dynamodb/metrics-store';
import { InMemoryMetricsStore } from '../../shared/adapters/memory/metrics-store';
import { aggregateBatch } from '../../shared/domain/metrics/aggregate';
import type { MetricsSettings } from '../../shared/domain/metrics/effects';
import { asKinesis, morning, QUEUES } from '../support/morning';
import { loadApiHandler } from '../support/api';
import { freshTables } from '../support/dynamo';

type Handler = (event: unknown) => Promise<{ statusCode: number; body: string }>;
const day = morning(120, 9);
const settings: MetricsSettings = {
  serviceLevelSeconds: 20,
  departmentOf: (queue) => queue.split('/')[1],
  localDate: (at) => new Date(Date.parse(at) - 5 * 3600_000).toISOString().slice(0, 10),
};
let handler: Handler;
const reference = new InMemoryMetricsStore();

beforeAll(async () => {
  const { doc, names } = await freshTables();
  const records = asKinesis(day.payloads).map(parseKinesisRecord);
  // As the local back end and Lambda do: the batch's shard keeps the clock of its events (a morning days ago).
  await aggregateBatch(records, {
    store: new DynamoMetricsStore(doc, names.metrics),
    settings,
    shard: 'shardId-000000000000',
    now: () => new Date(),
  });
  await aggregateBatch(records, { store: reference, settings });
  handler = await loadApiHandler(
    names,
    QUEUES.map((q) => [q, q.split('/')[1]!] as const),
  );
});

const call = async (path: string, groups: string, query: Record<string, string> = {}, method = 'GET') => {
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    const response = await handler({
      rawPath: path,
      queryStringParameters: query,
      requestContext: {
        http: { method },
        authorizer: { jwt: { claims: { sub: 'user-1', 'cognito:groups': groups } } },
      },
    });
    return { status: response.statusCode, body: JSON.parse(response.body) };
  } finally {
    spy.mockRestore();
  }
};

describe('metrics API', () => {
  it('shows a supervisor the live queues and agents as aggregated', async () => {
    const { status, body } = await call('/metrics/live', '[supervisor]');
    expect(status).toBe(200);
    const live = reference.live(new Date(body.at));
    for (const q of body.queues) expect(q.waiting).toBe(live.queues[q.queue]?.waiting ?? 0);
    expect(body.agents).toEqual(live.agents);
  });

  it('gives per-interval figures with Connect-defined ratios for a department', async () => {
    const { status, body } = await call('/metrics/intervals', 'admin', {
      department: 'tax',
      channel: 'voice',
      from: '2026-11-24T13:00:00Z',
      to: '2026-11-24T17:00:00Z',
    });
    expect(status).toBe(200);
    const expected = reference
      .figures()
      .filter(
        (f) =>
          f.scope.dimension === 'department' &&
          f.scope.id === 'tax' &&
          f.scope.channel === 'VOICE' &&
          f.period === '15m',
      );
    expect(body.rows.map((r: { start: string }) => r.start)).toEqual(expected.map((f) => f.start));
    const first = body.rows[0];
    expect(first.counters.offered).toBe(expected[0]!.counters.offered);
    expect(first.serviceLevel).toBeCloseTo(
      (expected[0]!.counters.withinServiceLevel ?? 0) / expected[0]!.counters.offered!,
    );
  });

  it("measures the live view against the events' clock, not the wall clock", async () => {
    const { body } = await call('/metrics/live', '[supervisor]');
    expect(body.eventsLive).toBe(false);
    const newest = Math.max(
      ...day.payloads.flatMap((p) => {
        const e = p as { 'detail-type'?: string; time?: string; EventTimestamp?: string };
        return e['detail-type'] === 'Amazon Connect Contact Event'
          ? [Date.parse(e.time!)]
          : e.EventTimestamp
            ? [Date.parse(e.EventTimestamp)]
            : [];
      }),
    );
    expect(body.at).toBe(new Date(newest).toISOString());
    const longest = Math.max(
      ...day.truth.map((c) => c.waitSeconds),
      ...day.truth.filter((c) => c.stillWaiting).map((c) => (newest - c.enqueuedAt.getTime()) / 1000),
    );
    for (const q of body.queues) expect(q.oldestWaitSeconds).toBeLessThanOrEqual(Math.ceil(longest));
  });

  it("summarises the events' day (a simulated or replayed one) and says which day today is", async () => {
    const { status, body } = await call('/metrics/summary', '[supervisor]');
    expect(status).toBe(200);
    expect(body).toMatchObject({ date: '2026-11-24', eventsDay: '2026-11-24', eventsLive: false });
    expect(body.today).not.toBe('2026-11-24');
    const offered = (b: { departments: { today: { offered: number } }[] }) =>
      b.departments.reduce((n, d) => n + d.today.offered, 0);
    const expected = reference
      .figures()
      .filter((f) => f.scope.dimension === 'department' && f.period === 'day')
      .reduce((n, f) => n + (f.counters.offered ?? 0), 0);
    expect(offered(body)).toBe(expected);
    expect(expected).toBeGreaterThan(0);
    expect(body.trend.length).toBeGreaterThan(0);

    const other = await call('/metrics/summary', '[supervisor]', { date: '2026-11-25' });
    expect(other.body).toMatchObject({ date: '2026-11-25', eventsDay: '2026-11-24' });
    expect(offered(other.body)).toBe(0);
    expect(await call('/metrics/summary', '[supervisor]', { date: '2026-02-30' })).toMatchObject({
      status: 400,
      body: { code: 'INVALID_INPUT', field: 'date' },
    });
  });

  it.each([
    ['/metrics/live', '[agent]', 403, 'FORBIDDEN'],
    ['/metrics/live', '', 403, 'FORBIDDEN'],
    ['/metrics/nowhere', '[supervisor]', 404, 'NOT_FOUND'],
  ])('answers %s for groups %p with %i', async (path, groups, status, code) => {
    const response = await call(path, groups);
    expect(response).toMatchObject({ status, body: { code } });
  });

  it('names the bad parameter and refuses a wrong method', async () => {
    expect(await call('/metrics/intervals', '[supervisor]', { period: 'hour' })).toMatchObject({
      status: 400,
      body: { code: 'INVALID_INPUT', field: 'period' },
    });
    expect(await call('/metrics/intervals', '[supervisor]', { from: 'yesterday' })).toMatchObject({
      status: 400,
      body: { field: 'from' },
    });
    expect(await call('/metrics/live', '[supervisor]', {}, 'POST')).toMatchObject({ status: 405 });
  });
});
