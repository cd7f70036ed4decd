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
  await aggregateBatch(records, { store: new DynamoMetricsStore(doc, names.metrics), settings });
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
