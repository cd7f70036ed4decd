import { readingReport } from '../../shared/domain/read-audit';
import { apiOnFreshTables, type ApiCall } from '../support/api';

/** Tuesday 8 December 2026, 10:00 in Panamá. */
const TUESDAY = new Date('2026-12-08T15:00:00.000Z');
let now = TUESDAY;
const clock = { now: () => now };
let api: ApiCall;

beforeAll(async () => {
  ({ api } = await apiOnFreshTables(clock));
});

const register = async (n: number) =>
  (
    await api('/citizens', '[agent]', {
      method: 'POST',
      body: { givenNames: 'Persona', surnames: `Prueba ${n}`, phone: `+5076999${String(4000 + n)}` },
    })
  ).body.citizen.id as string;

describe('read audit', () => {
  it('keeps every read of a citizen or a case — who, what, when, from where — and lists them for administrators', async () => {
    const citizenId = await register(1);
    const { ticket } = (
      await api('/cases', '[agent]', {
        method: 'POST',
        body: { citizenId, topicId: 'complaint', channel: 'VOICE' },
      })
    ).body as { ticket: string };
    await api(`/citizens/${citizenId}`, '[agent]', { user: 'agente-1', from: '10.0.0.7' });
    now = new Date(TUESDAY.getTime() + 60_000);
    await api(`/cases/${ticket}`, '[supervisor]', { user: 'supervisora', from: '10.0.0.9' });
    const readers = await api(`/citizens/${citizenId}/readers`, '[admin]');
    expect(readers.status).toBe(200);
    expect(readers.body.items).toEqual([
      expect.objectContaining({
        what: 'case',
        ticket,
        citizenId,
        actor: { id: 'supervisora', role: 'supervisor' },
        from: '10.0.0.9',
        at: '2026-12-08T15:01:00.000Z',
      }),
      expect.objectContaining({
        what: 'citizen',
        citizenId,
        actor: { id: 'agente-1', role: 'agent' },
        from: '10.0.0.7',
        at: TUESDAY.toISOString(),
      }),
    ]);
    now = TUESDAY;
    for (const path of [`/citizens/${citizenId}/readers`, '/admin/reading'])
      expect((await api(path, '[supervisor]')).status).toBe(403);
  });

  it("flags the account that read far more citizens in a day than its peers, in the day's report", async () => {
    const ids = [];
    for (let n = 10; n < 55; n++) ids.push(await register(n));
    // One after another, as a person clicks through them.
    const read = async (user: string, some: readonly string[]) => {
      for (const id of some) expect((await api(`/citizens/${id}`, '[agent]', { user })).status).toBe(200);
    };
    await read('curioso', ids); // 45 citizens
    await read('curioso', ids.slice(0, 5)); // the same ones again count once
    await read('agente-2', ids.slice(0, 6));
    await read('agente-3', ids.slice(10, 14));
    const report = await api('/admin/reading', '[admin]', { query: { date: '2026-12-08' } });
    expect(report.status).toBe(200);
    expect(report.body.readers).toEqual(
      expect.arrayContaining([
        { user: 'curioso', citizens: 45 },
        { user: 'agente-2', citizens: 6 },
        { user: 'agente-3', citizens: 4 },
      ]),
    );
    expect(report.body.unusual).toEqual([{ user: 'curioso', citizens: 45, peersMedian: expect.any(Number) }]);
    expect((await api('/admin/reading', '[admin]', { query: { date: '8/12/2026' } })).body).toMatchObject({
      field: 'date',
    });
  });

  it('never flags a busy day shared by all, nor a reader under the working minimum', () => {
    const busy = [
      { user: 'a', citizens: 80 },
      { user: 'b', citizens: 70 },
      { user: 'c', citizens: 90 },
    ];
    expect(readingReport('2026-12-08', busy).unusual).toEqual([]);
    const quiet = [
      { user: 'a', citizens: 30 },
      { user: 'b', citizens: 2 },
      { user: 'c', citizens: 3 },
    ];
    expect(readingReport('2026-12-08', quiet).unusual).toEqual([]);
    expect(
      readingReport('2026-12-08', [...quiet, { user: 'd', citizens: 41 }]).unusual.map((r) => r.user),
    ).toEqual(['d']);
  });
});
