import { expireItems } from '../../local/ttl';
import { makeConnectCaseHandler } from '../../lambdas/connect-case/function';
import { makeMetricsAggregatorHandler } from '../../lambdas/metrics-aggregator/function';
import { makeRetentionSweepHandler } from '../../lambdas/retention-sweep/function';
import { DynamoHoldStore } from '../../shared/adapters/dynamodb/legal-holds';
import { DynamoRetentionStore } from '../../shared/adapters/dynamodb/retention-store';
import { DynamoSubjectStore } from '../../shared/adapters/dynamodb/subject-store';
import { loadConfig } from '../../shared/config/load';
import { parseDeployment } from '../../shared/domain/deployment';
import type { RetentionReport } from '../../shared/domain/retention-sweep';
import { sweepRetention } from '../../shared/domain/retention-sweep';
import { apiOnFreshTables, transition, type ApiCall } from '../support/api';
import { connectEvent } from '../support/connect';
import { scanAll } from '../support/consistency';
import { freshTables } from '../support/dynamo';
import { asKinesis, morning } from '../support/morning';
import { runtimeOn } from '../support/runtime';

const { deployment, calendar } = loadConfig('config/city-hall');
const schedule = deployment.retention;
const DAY = 86_400_000;

/** Monday 7 December 2026, 09:00 in Panamá: the day everything below happens; the clock then moves on. */
const START = Date.parse('2026-12-07T14:00:00.000Z');
let now = new Date(START);
const clock = { now: () => now };
const daysLater = (days: number) => {
  now = new Date(START + days * DAY);
};

let api: ApiCall;
let tables: Awaited<ReturnType<typeof freshTables>>;
const runtime = () => runtimeOn(tables, clock);

beforeAll(async () => {
  ({ tables, api } = await apiOnFreshTables(clock));
});

const quiet = <T>(work: () => Promise<T>) => {
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  return work().finally(() => spy.mockRestore());
};

/** A citizen who called once about a plate renewal; the call's case is then resolved or left open. */
async function caller(name: string, phone: string, close: boolean) {
  const citizen = await api('/citizens', '[agent]', {
    method: 'POST',
    body: { givenNames: name, surnames: 'Retención Prueba', phone },
  });
  const createCase = makeConnectCaseHandler(runtime()('connect-case'));
  const opened = await quiet(() =>
    createCase(
      connectEvent('voice-inbound-docs', {
        phone,
        contactId: `ret-${name}`,
        parameters: { topic: 'plate-renewal' },
      }),
    ),
  );
  const ticket = opened.ticket as string;
  await api(`/cases/${ticket}/notes`, '[agent]', { method: 'POST', body: { text: `Nota sobre ${name}` } });
  if (close) expect((await transition(api, ticket, '[agent]', { to: 'RESOLVED' })).status).toBe(200);
  return { citizenId: citizen.body.citizen.id as string, ticket, name };
}

const items = async (store: 'citizens' | 'cases' | 'metrics') => scanAll(tables.doc, tables.names[store]);
const mentions = async (value: string) =>
  (await Promise.all([items('citizens'), items('cases')]))
    .flat()
    .filter((i) => JSON.stringify(i).includes(value));
const casePartition = async (ticket: string) =>
  (await items('cases')).filter((i) => i.pk === `CASE#${ticket}`).map((i) => String(i.sk));
const ttl = () => expireItems(tables.doc, Object.values(tables.names), now);

describe('retention', () => {
  it('ends records past their term by TTL and by the nightly sweep; held ones stay until the hold ends', async () => {
    // Ana's case is resolved; Bruno is under a legal hold; Carla's case is; Dora's case stays open.
    const ana = await caller('Ana', '+50769990301', true);
    const bruno = await caller('Bruno', '+50769990302', true);
    const carla = await caller('Carla', '+50769990303', true);
    const dora = await caller('Dora', '+50769990304', false);
    const booked = await api('/appointments', '[agent]', {
      method: 'POST',
      body: {
        key: 'retention-1',
        citizenId: ana.citizenId,
        officeId: 'plate-centre',
        topicId: 'lost-plate',
        start: '2026-12-09T15:00:00.000Z',
      },
    });
    expect(booked.status).toBe(201);
    const bookingKey = `BOOKING#${booked.body.id}`;
    // An open tax case of Ana's in the morning's export: the batch record copies her row.
    await api('/cases', '[agent]', {
      method: 'POST',
      body: { citizenId: ana.citizenId, topicId: 'tax-clearance', channel: 'VOICE' },
    });
    expect(
      (await api('/backoffice/exports', '[supervisor]', { method: 'POST', body: { department: 'tax' } }))
        .status,
    ).toBe(200);
    const batches = async () => (await items('cases')).filter((i) => String(i.pk).startsWith('BATCH#'));
    expect((await batches()).length).toBeGreaterThan(0);

    // The holds: a reference and a reason are required, naming the field.
    const refused = await api(`/citizens/${bruno.citizenId}/hold`, '[admin]', {
      method: 'POST',
      body: { reference: 'ORD-2026/77' },
    });
    expect(refused).toMatchObject({ status: 400, body: { field: 'reason' } });
    const heldBruno = await api(`/citizens/${bruno.citizenId}/hold`, '[admin]', {
      method: 'POST',
      user: 'admin-1',
      body: { reference: 'ORD-2026/77', reason: 'Orden judicial de conservación' },
    });
    expect(heldBruno.status).toBe(200);
    // His timeline entry, its guard, the intake outcome, and the agent's read of his case.
    expect(heldBruno.body.kept).toBe(4);
    const heldCarla = await api(`/cases/${carla.ticket}/hold`, '[admin]', {
      method: 'POST',
      body: { reference: 'RECL-2026-5', reason: 'Reclamación en curso' },
    });
    expect(heldCarla.status).toBe(200);
    expect((await api('/admin/holds', '[admin]')).body.items).toHaveLength(2);
    // Bruno calls again after the hold: that night's sweep sets the new records' expiries aside.
    const createCase = makeConnectCaseHandler(runtime()('connect-case'));
    await quiet(() =>
      createCase(
        connectEvent('voice-inbound-docs', {
          phone: '+50769990302',
          contactId: 'ret-Bruno-2',
          parameters: { topic: 'plate-renewal' },
        }),
      ),
    );
    const sweep = makeRetentionSweepHandler(runtime()('retention-sweep'));
    const tonight = (await quiet(() => sweep())) as RetentionReport;
    expect(tonight).toMatchObject({ cases: { retired: 0 }, holds: { active: 2, expiriesSetAside: 3 } });
    expect((await api('/admin/holds', '[supervisor]')).status).toBe(403);
    // A held citizen is not erased.
    const erase = await api(`/citizens/${bruno.citizenId}/erasure`, '[admin]', {
      method: 'POST',
      body: { reference: 'SOL-1' },
    });
    expect(erase).toMatchObject({ status: 409, body: { code: 'HELD' } });

    // The metrics of a morning: the quarter hours are detail, the days are aggregates.
    const aggregator = makeMetricsAggregatorHandler(runtime()('metrics-aggregator'));
    await quiet(() =>
      aggregator({
        Records: asKinesis(morning(30, 3).payloads).map((r) => ({
          ...r,
          eventID: `shardId-000000000000:${r.kinesis.sequenceNumber}`,
        })),
      }),
    );
    const intervals = async (period: string) =>
      (await items('metrics')).filter((i) => String(i.pk).startsWith(`INTERVAL#${period}#`)).length;
    const days = await intervals('day');
    expect(await intervals('15m')).toBeGreaterThan(0);
    expect(days).toBeGreaterThan(0);

    // The day after the export's term: its batch records are gone; nothing else is.
    daysLater(schedule.exportFile.days + 1);
    await ttl();
    expect(await batches()).toEqual([]);
    expect(await mentions('ret-Ana')).not.toEqual([]);

    // A year after the appointment's day: the booking and its code are gone.
    daysLater(2 + schedule.appointment.days + 1);
    expect((await items('cases')).some((i) => i.pk === bookingKey)).toBe(true);
    await ttl();
    expect((await items('cases')).some((i) => i.pk === bookingKey)).toBe(false);
    expect((await items('cases')).some((i) => i.bookingId === booked.body.id)).toBe(false);

    // Past the detail's term: the quarter hours are gone, the days stay.
    daysLater(schedule.metricsDetail.days + 1);
    await ttl();
    expect(await intervals('15m')).toBe(0);
    expect(await intervals('day')).toBe(days);

    // Past the contacts' term: the timeline entries and their guards go, except those under Bruno's hold.
    // (The identity's screen-pop summary keeps its last week of contacts, pruned at the phone's next contact.)
    const contactRecords = async (who: { name: string }) =>
      (await mentions(`ret-${who.name}`)).filter(
        (i) => !String(i.pk).startsWith('CASE#') && i.type !== 'IDENTITY',
      );
    expect((await contactRecords(ana)).length).toBe(3); // timeline entry, guard, intake outcome
    daysLater(schedule.contact.days + 1);
    await ttl();
    for (const who of [ana, carla, dora]) expect(await contactRecords(who)).toEqual([]);
    expect((await contactRecords(bruno)).length).toBe(6); // both calls'

    // Past the cases' term since closure: the sweep ends Ana's; the held stay; Dora's is open.
    daysLater(schedule.case.days + 1);
    const report = (await quiet(() => sweep())) as RetentionReport;
    expect(report).toMatchObject({
      cases: { retired: 1, held: 2, deferred: 0 },
      holds: { active: 2 },
      failures: 0,
    });
    expect(await casePartition(ana.ticket)).toEqual([]);
    expect(await casePartition(bruno.ticket)).toEqual(expect.arrayContaining(['CASE', 'AUDIT#00000002']));
    expect(await casePartition(carla.ticket)).toContain('CASE');
    expect(await casePartition(dora.ticket)).toContain('CASE');
    expect(await mentions(`Nota sobre Ana`)).toEqual([]);
    const date = calendar.local(now).date;
    expect((await api('/admin/retention', '[admin]', { query: { date } })).body).toMatchObject({
      date,
      cases: { retired: 1, held: 2 },
      schedule: { case: { days: schedule.case.days, by: 'sweep' } },
    });
    // Again: nothing more to do.
    expect(((await quiet(() => sweep())) as RetentionReport).cases).toMatchObject({ retired: 0, held: 2 });

    // Bruno's hold ends: his expiries go back on, TTL ends his contact, the next sweep his case.
    const released = await api(`/citizens/${bruno.citizenId}/hold/release`, '[admin]', {
      method: 'POST',
      body: { reference: 'ORD-2026/77-FIN' },
    });
    expect(released.status).toBe(200);
    expect(released.body.restored).toBe(7);
    await ttl();
    expect(await contactRecords(bruno)).toEqual([]);
    expect(((await quiet(() => sweep())) as RetentionReport).cases).toMatchObject({ retired: 1, held: 1 });
    expect(await casePartition(bruno.ticket)).toEqual([]);
    expect(await casePartition(carla.ticket)).toContain('CASE');
    // The privacy log keeps the hold and its end, with the references and no personal data.
    const log = (await api(`/citizens/${bruno.citizenId}/privacy-log`, '[admin]')).body.items;
    expect(log.map((e: { action: string }) => e.action)).toEqual(['hold', 'hold-released']);
  }, 60_000);

  it('gives a case’s history its own, longer term when the schedule keeps it longer than the case', async () => {
    now = new Date(START);
    const erin = await caller('Erin', '+50769990305', true);
    const audits = async () => (await casePartition(erin.ticket)).filter((sk) => sk.startsWith('AUDIT#'));
    expect((await audits()).length).toBe(2);
    daysLater(schedule.case.days + 1);
    const longer = { ...schedule, auditEvent: { ...schedule.auditEvent, days: schedule.case.days + 365 } };
    const report = await sweepRetention({
      store: new DynamoRetentionStore(tables.doc, tables.names.cases),
      holds: new DynamoHoldStore(tables.doc, tables.names),
      subjects: new DynamoSubjectStore(tables.doc, tables.names),
      schedule: longer,
      departments: deployment.departments.map((d) => d.id),
      clock,
      localDate: (at) => calendar.local(at).date,
    });
    expect(report.cases.retired).toBeGreaterThanOrEqual(1);
    // The case, its contact and note are gone; the history stays, to go by TTL at its own term.
    expect(await casePartition(erin.ticket)).toEqual(await audits());
    expect((await audits()).length).toBe(2);
    daysLater(schedule.case.days + 364);
    await ttl();
    expect((await audits()).length).toBe(2);
    daysLater(schedule.case.days + 366);
    await ttl();
    expect(await audits()).toEqual([]);
  }, 60_000);

  it('refuses a schedule whose history would end before its case, naming the field', () => {
    const raw = JSON.parse(JSON.stringify(deployment));
    raw.retention.auditEvent.days = 100;
    expect(() => parseDeployment(raw)).toThrow(/retention\.auditEvent\.days: must be at least the case’s/);
  });
});
