import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { makeAppointmentTasksHandler } from '../../lambdas/appointment-tasks/function';
import { makeCaseNotifierHandler } from '../../lambdas/case-notifier/function';
import { makeConnectAppointmentsHandler } from '../../lambdas/connect-appointments/function';
import { makeConnectCaseHandler } from '../../lambdas/connect-case/function';
import { makeConnectCaseStatusHandler } from '../../lambdas/connect-case-status/function';
import { makeConnectConsentHandler } from '../../lambdas/connect-consent/function';
import { makeConnectLookupHandler } from '../../lambdas/connect-lookup/function';
import { makeFollowUpHandler } from '../../lambdas/follow-up/function';
import { LOCAL, localFlowEngine } from '../../local/contact-center';
import { runContact, type FlowEngineDeps } from '../../local/flow-engine';
import { demoPasswords } from '../../local/passwords';
import { loadUsers } from '../../local/session';
import { consentKey } from '../../shared/adapters/dynamodb/messaging-consent';
import { DynamoOutbox, DynamoTaskOutbox } from '../../shared/adapters/dynamodb/outbox';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { loadConfig } from '../../shared/config/load';
import type { FollowUpReport } from '../../shared/domain/follow-up';
import { apiCaller, loadApiHandler, type ApiCall } from '../support/api';
import { connectEvent } from '../support/connect';
import { freshTables, tableStreamRecords } from '../support/dynamo';
import { runtimeOn } from '../support/runtime';

/** Monday 7 December 2026, 09:00 in Panamá: offices open. */
const MONDAY = new Date('2026-12-07T14:00:00.000Z');
let now = MONDAY;
const clock = { now: () => now };
const config = loadConfig('config/city-hall');
const PHONE = '+50769990101';

let engine: FlowEngineDeps;
let api: ApiCall;
let tables: Awaited<ReturnType<typeof freshTables>>;
let notifier: (event: unknown) => Promise<unknown>;
let tasks: () => Promise<unknown>;
let followUp: () => Promise<FollowUpReport>;
let createCase: (event: unknown) => Promise<Record<string, string>>;
let outbox: DynamoOutbox;
let taskOutbox: DynamoTaskOutbox;
const quiet = <T>(work: () => Promise<T>) => {
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  return work().finally(() => spy.mockRestore());
};

beforeAll(async () => {
  tables = await freshTables();
  const runtime = runtimeOn(tables, clock);
  createCase = makeConnectCaseHandler(runtime('connect-case'));
  engine = localFlowEngine(
    config,
    {
      lookup: makeConnectLookupHandler(runtime('connect-lookup')),
      createCase,
      caseStatus: makeConnectCaseStatusHandler(runtime('connect-case-status')),
      appointments: makeConnectAppointmentsHandler(runtime('connect-appointments')),
      consent: makeConnectConsentHandler(runtime('connect-consent')),
    },
    clock.now,
  );
  tasks = makeAppointmentTasksHandler(runtime('appointment-tasks'));
  outbox = new DynamoOutbox(tables.doc, tables.names.cases, clock.now);
  notifier = makeCaseNotifierHandler(runtime('case-notifier'), { sender: outbox });
  taskOutbox = new DynamoTaskOutbox(tables.doc, tables.names.cases, clock.now);
  followUp = makeFollowUpHandler(runtime('follow-up'), { sink: taskOutbox });
  api = apiCaller(
    await loadApiHandler(tables.names, [], demoPasswords(loadUsers('config/city-hall')).store, clock),
  );
});

const write = (says: string[], id: string, subtype = 'connect:WhatsApp', phone: string | undefined = PHONE) =>
  quiet(() =>
    runContact(
      engine,
      LOCAL.textFlow,
      { channel: 'CHAT', ...(subtype ? { subtype } : {}), ...(phone ? { phone } : {}), says },
      id,
    ),
  );
/** The notifier on what the cases table's stream holds since it last read it, as Lambda delivers it. */
const delivered = new Set<string>();
const notify = async () => {
  const records = (
    await tableStreamRecords(tables.doc as unknown as DynamoDBClient, tables.names.cases)
  ).filter((r) => !delivered.has(r.dynamodb!.SequenceNumber!));
  expect(await notifier({ Records: records })).toEqual({ batchItemFailures: [] });
  for (const r of records) delivered.add(r.dynamodb!.SequenceNumber!);
};
/** What the number was sent, oldest first. */
const sentTo = async (phone: string) => (await outbox.list(1000)).filter((m) => m.to === phone).reverse();
const caseStatus = async (ticket: string) =>
  (await api(`/cases/${ticket}`, '[agent]')).body.case.status as string;

describe('STOP and START of proactive messages', () => {
  it('a number that wrote BAJA gets no answer, link or reminder; a person takes the answer the next day; ALTA resumes', async () => {
    const citizenId = (
      await api('/citizens', '[agent]', {
        method: 'POST',
        body: { givenNames: 'Inés', surnames: 'Caballero', phone: PHONE },
      })
    ).body.citizen.id as string;
    const booking = (
      await api('/appointments', '[agent]', {
        method: 'POST',
        body: {
          key: 'opt-out-1',
          citizenId,
          officeId: 'plate-centre',
          topicId: 'lost-plate',
          start: '2026-12-09T15:00:00.000Z',
          notify: 'WHATSAPP',
        },
      })
    ).body as { id: string; code: string };
    await notify();
    // Before: the booking's confirmation reaches the number.
    expect(await sentTo(PHONE)).toEqual([expect.objectContaining({ channel: 'WHATSAPP' })]);

    const stop = await write(['BAJA'], 'opt-out-stop');
    expect(stop.transcript.slice(-2)).toEqual([
      '< Listo: no le enviaremos más avisos a este número. Sus trámites siguen abiertos y puede consultarlos cuando quiera. Para volver a recibir avisos, escriba ALTA.',
      '(disconnected)',
    ]);
    expect(stop.end).toEqual({ kind: 'disconnected' });
    // Recorded with its time and channel, under a digest of the number; the number itself is nowhere in it.
    const { Item } = await tables.doc.send(
      new GetCommand({ TableName: tables.names.citizens, Key: consentKey(PHONE) }),
    );
    expect(Item).toMatchObject({
      optedOut: true,
      changes: [{ optedOut: true, channel: 'WHATSAPP', at: MONDAY.toISOString() }],
    });
    expect(JSON.stringify(Item)).not.toContain(PHONE.slice(1));
    // Nothing personal kept in the contact's attributes by the stop either.
    expect(Object.values(stop.attributes).join(' ')).not.toContain(PHONE.slice(1));

    // An answer for the citizen, on WhatsApp: not sent, and the case waits.
    const { ticket } = (
      await api('/cases', '[agent]', {
        method: 'POST',
        body: { citizenId, topicId: 'plate-renewal', channel: 'WHATSAPP' },
      })
    ).body as { ticket: string };
    await api(`/cases/${ticket}/transitions`, '[agent]', {
      method: 'POST',
      body: { to: 'PENDING_RESPONSE' },
      headers: { 'if-match': '"1"' },
    });
    const moved = await api(`/cases/${ticket}/transitions`, '[agent]', {
      method: 'POST',
      body: { to: 'PENDING_COMMUNICATION', answer: 'Su placa está lista.' },
      headers: { 'if-match': '"2"' },
    });
    expect(moved.status).toBe(200);
    // A link asked for by self-service on another topic: not texted, the request stays open.
    const linked = await quiet(() =>
      createCase(
        connectEvent('chat-whatsapp', {
          phone: PHONE,
          parameters: { topic: 'tax-clearance', request: 'link-by-sms' },
        }),
      ),
    );
    expect(linked.outcome).toBe('OK');
    await notify();
    // Tuesday 10:30: the day-before reminder is due, and goes nowhere.
    now = new Date('2026-12-08T15:30:00.000Z');
    await quiet(() => tasks());
    expect((await api(`/appointments/${booking.id}`, '[agent]')).body.reminders).toBe(1);
    await notify();
    expect(await sentTo(PHONE)).toHaveLength(1);
    expect(await caseStatus(ticket)).toBe('PENDING_COMMUNICATION');
    expect(await caseStatus(linked.ticket!)).toBe('OPEN');

    // The follow-up of the next working day (the 8th is a holiday) hands both to a person.
    now = new Date('2026-12-09T13:00:00.000Z');
    const report = await followUp();
    expect(report.byReason).toMatchObject({ 'answer-untold': 1, 'self-service': 1 });
    const handed = (await taskOutbox.list(100)).map((t) => [t.ticket, t.reason]);
    expect(handed).toEqual(
      expect.arrayContaining([
        [ticket, 'answer-untold'],
        [linked.ticket, 'self-service'],
      ]),
    );

    // ALTA: messages go again — the next one, a moved booking, reaches the number.
    now = new Date('2026-12-09T13:30:00.000Z');
    const start = await write(['ALTA'], 'opt-out-start');
    expect(start.transcript.join('\n')).toContain('Listo: volverá a recibir avisos');
    const rescheduled = await api(`/appointments/${booking.id}/reschedule`, '[agent]', {
      method: 'POST',
      body: { start: '2026-12-10T15:00:00.000Z' },
    });
    expect(rescheduled.status).toBe(200);
    await notify();
    const after = await sentTo(PHONE);
    expect(after).toHaveLength(2);
    expect(after[1]!.text).toMatch(/jueves, 10 de diciembre/);
    const { Item: resumed } = await tables.doc.send(
      new GetCommand({ TableName: tables.names.citizens, Key: consentKey(PHONE) }),
    );
    expect(resumed!.changes).toEqual([
      { optedOut: true, channel: 'WHATSAPP', at: MONDAY.toISOString() },
      { optedOut: false, channel: 'WHATSAPP', at: '2026-12-09T13:30:00.000Z' },
    ]);
  });

  it('takes STOP in English by SMS, records it once when repeated, and tells web chat it has no number to stop', async () => {
    const phone = '+50769990102';
    const first = await write(['stop'], 'opt-out-sms-1', 'connect:SMS', phone);
    expect(first.transcript.join('\n')).toContain('Listo: no le enviaremos más avisos');
    const again = await write(['STOP'], 'opt-out-sms-2', 'connect:SMS', phone);
    expect(again.end).toEqual({ kind: 'disconnected' });
    const { Item } = await tables.doc.send(
      new GetCommand({ TableName: tables.names.citizens, Key: consentKey(phone) }),
    );
    expect(Item!.changes).toEqual([{ optedOut: true, channel: 'SMS', at: now.toISOString() }]);
    // Web chat: no number, nothing recorded; the conversation goes on.
    const web = await write(['BAJA', '0'], 'opt-out-web', '', undefined);
    expect(web.transcript.join('\n')).toContain('Este chat no envía avisos a ningún número.');
    expect(web.end).toMatchObject({ kind: 'queued' });
  });

  it('never takes a longer message that holds the word for a STOP', async () => {
    const said = await write(
      ['quiero darme de baja del padrón', '0'],
      'opt-out-not',
      'connect:SMS',
      '+50769990103',
    );
    expect(said.transcript.join('\n')).not.toContain('no le enviaremos más avisos');
    const { Item } = await tables.doc.send(
      new GetCommand({ TableName: tables.names.citizens, Key: consentKey('+50769990103') }),
    );
    expect(Item).toBeUndefined();
  });
});
