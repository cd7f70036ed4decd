import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { makeAppointmentTasksHandler } from '../../lambdas/appointment-tasks/function';
import { makeCaseNotifierHandler } from '../../lambdas/case-notifier/function';
import { makeConnectAppointmentsHandler } from '../../lambdas/connect-appointments/function';
import { makeConnectCaseHandler } from '../../lambdas/connect-case/function';
import { makeConnectCaseStatusHandler } from '../../lambdas/connect-case-status/function';
import { makeConnectLookupHandler } from '../../lambdas/connect-lookup/function';
import { LOCAL, localFlowEngine } from '../../local/contact-center';
import { runContact, type FlowEngineDeps } from '../../local/flow-engine';
import { demoPasswords } from '../../local/passwords';
import { loadUsers } from '../../local/session';
import { DynamoOutbox } from '../../shared/adapters/dynamodb/outbox';
import { loadConfig } from '../../shared/config/load';
import { apiCaller, loadApiHandler, type ApiCall } from '../support/api';
import { freshTables, tableStreamRecords } from '../support/dynamo';
import { runtimeOn } from '../support/runtime';

/** Monday 7 December 2026, 09:00 in Panamá: offices open, the next days released. */
const NOW = new Date('2026-12-07T14:00:00.000Z');
let now = NOW;
const clock = { now: () => now };
afterEach(() => (now = NOW));
const config = loadConfig('config/city-hall');
const PHONE = '+50769990001';

let engine: FlowEngineDeps;
let api: ApiCall;
let tables: Awaited<ReturnType<typeof freshTables>>;
let notifier: (event: unknown) => Promise<unknown>;
let tasks: () => Promise<unknown>;
const quiet = <T>(work: () => Promise<T>) => {
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  return work().finally(() => spy.mockRestore());
};

beforeAll(async () => {
  tables = await freshTables();
  const runtime = runtimeOn(tables, clock);
  engine = localFlowEngine(
    config,
    {
      lookup: makeConnectLookupHandler(runtime('connect-lookup')),
      createCase: makeConnectCaseHandler(runtime('connect-case')),
      caseStatus: makeConnectCaseStatusHandler(runtime('connect-case-status')),
      appointments: makeConnectAppointmentsHandler(runtime('connect-appointments')),
    },
    clock.now,
  );
  tasks = makeAppointmentTasksHandler(runtime('appointment-tasks'));
  notifier = makeCaseNotifierHandler(runtime('case-notifier'), {
    sender: new DynamoOutbox(tables.doc, tables.names.cases, clock.now),
  });
  api = apiCaller(
    await loadApiHandler(tables.names, [], demoPasswords(loadUsers('config/city-hall')).store, clock),
  );
});

const call = (keys: string[], id: string) =>
  quiet(() => runContact(engine, LOCAL.voiceFlow, { channel: 'VOICE', phone: PHONE, keys }, id));
const write = (says: string[], id: string, phone = PHONE) =>
  quiet(() =>
    runContact(engine, LOCAL.textFlow, { channel: 'CHAT', subtype: 'connect:WhatsApp', phone, says }, id),
  );

describe('appointments on the lines', () => {
  it('a call books, the agent moves it, a WhatsApp message cancels it: one citizen, one booking history', async () => {
    const made = await api('/citizens', '[agent]', {
      method: 'POST',
      body: {
        givenNames: 'Marta',
        surnames: 'Quintero',
        phone: PHONE,
        document: { type: 'CEDULA', number: '8-700-1234' },
      },
    });
    const citizenId = made.body.citizen.id as string;
    // Known number: prove it (1, the document), then vehicles (2), lost plate (3), an appointment (1), the
    // first time offered (1), confirm (1).
    const booked = await call(['1', '87001234#', '2', '3', '1', '1', '1'], 'appt-call-1');
    const said = booked.transcript.join('\n');
    expect(said).toMatch(/Para el lunes, 7 de diciembre, 9:15.*en Centro de placas, pulse 1/);
    expect(said).toMatch(/Su cita quedó confirmada para el lunes, 7 de diciembre, 9:15/);
    const [booking] = (await api(`/citizens/${citizenId}/appointments`, '[agent]')).body.appointments;
    expect(booking).toMatchObject({
      status: 'booked',
      slot: { officeId: 'plate-centre', topicId: 'lost-plate', start: '2026-12-07T14:15:00.000Z' },
      notify: { channel: 'SMS', to: PHONE },
    });
    // The code said back one character at a time, twice.
    const spoken = booking.code.split('').join(' ');
    expect(said.split(spoken).length - 1).toBe(2);
    // Nothing personal in the contact's attributes: a slot, an opaque hold id.
    expect(Object.values(booked.attributes).join(' ')).not.toMatch(/Marta|Quintero|8700/);

    const moved = await api(`/appointments/${booking.id}/reschedule`, '[agent]', {
      method: 'POST',
      user: 'agent-5',
      body: { start: '2026-12-09T15:00:00.000Z' },
    });
    expect(moved.status).toBe(200);

    // From the number the booking's messages go to: told, and cancelled on "2".
    const cancelled = await write(['2-3', '1', '2'], 'appt-wa-1');
    expect(cancelled.transcript.join('\n')).toMatch(
      new RegExp(
        `Tiene una cita de Pérdida o robo de placa el miércoles, 9 de diciembre.*código ${booking.code}`,
      ),
    );
    expect(cancelled.transcript.join('\n')).toContain(`Su cita ${booking.code} quedó cancelada.`);

    const history = (await api(`/appointments/${booking.id}`, '[agent]')).body.history;
    expect(
      history.map((e: { status: string; by: string; channel: string }) => [e.status, e.by, e.channel]),
    ).toEqual([
      ['held', 'citizen', 'voice'],
      ['booked', 'citizen', 'voice'],
      ['booked', 'agent-5', 'agent'],
      ['cancelled', 'citizen', 'whatsapp'],
    ]);
    // The notifier tells the citizen each time by SMS: confirmed (with the documents), moved, cancelled.
    const records = await tableStreamRecords(tables.doc as unknown as DynamoDBClient, tables.names.cases);
    expect(await notifier({ Records: records })).toEqual({ batchItemFailures: [] });
    const sent = (await new DynamoOutbox(tables.doc, tables.names.cases).list())
      .filter((m) => m.id.startsWith(`appt-${booking.id}`))
      .sort((a, b) => a.id.localeCompare(b.id));
    expect(sent.map((m) => [m.channel, m.to])).toEqual([
      ['SMS', PHONE],
      ['SMS', PHONE],
      ['SMS', PHONE],
    ]);
    expect(sent[0]!.text).toMatch(/^Cita confirmada: Pérdida o robo de placa.*Traiga: Denuncia, Cédula/);
    expect(sent[1]!.text).toMatch(/cambió: .*miércoles, 9 de diciembre/);
    expect(sent[2]!.text).toMatch(/quedó cancelada/);
  }, 60_000);

  it('tells nothing to a number that has not proved the booking is theirs, and takes them to a person', async () => {
    const phone = '+50769990002';
    const first = await write(['2-3', '1', '1', 'confirmar'], 'appt-wa-2', phone);
    expect(first.transcript.join('\n')).toMatch(/Cita confirmada: .*Código [2-9A-Z]{6}/);
    // A call from that number (now on record), not proved (2: on without it): no details, a person.
    const again = await quiet(() =>
      runContact(
        engine,
        LOCAL.voiceFlow,
        { channel: 'VOICE', phone, keys: ['2', '2', '3', '1'] },
        'appt-call-2',
      ),
    );
    const said = again.transcript.join('\n');
    expect(said).toContain('Ya tiene una cita para este trámite');
    expect(said).not.toMatch(/Código|código es/);
    expect(again.end).toMatchObject({ kind: 'queued' });
  }, 60_000);

  it('a time let go is free again at once; a time no longer offered is offered again', async () => {
    const phone = '+50769990003';
    // Choose the first, then "another time" (2): the hold goes, and the same first time is offered again.
    const run = await write(['2-3', '1', '1', '2', '1', 'confirmar'], 'appt-wa-3', phone);
    const said = run.transcript.join('\n');
    expect(said.match(/Citas libres:/g)).toHaveLength(2);
    expect(said).toMatch(/Cita confirmada/);
  }, 60_000);

  it('reminds the day before and two hours before; "2" cancels, "CONFIRMAR" keeps; a slot closed unattended is a no-show', async () => {
    const register = async (phone: string, surnames: string) =>
      (await api('/citizens', '[agent]', { method: 'POST', body: { givenNames: 'Luis', surnames, phone } }))
        .body.citizen.id as string;
    const book = async (citizenId: string, start: string) =>
      (
        await api('/appointments', '[agent]', {
          method: 'POST',
          body: {
            key: `remind-${citizenId}`,
            citizenId,
            officeId: 'plate-centre',
            topicId: 'lost-plate',
            start,
            notify: 'WHATSAPP',
          },
        })
      ).body;
    const [a, b, c] = ['+50769990011', '+50769990012', '+50769990013'];
    const first = await book(await register(a, 'Uno'), '2026-12-09T15:00:00.000Z');
    const second = await book(await register(b, 'Dos'), '2026-12-09T15:00:00.000Z');
    const third = await book(await register(c, 'Tres'), '2026-12-09T15:00:00.000Z');
    const status = async (id: string) => (await api(`/appointments/${id}`, '[agent]')).body;
    // Tuesday 10:30: the day-before reminder is due for all three.
    now = new Date('2026-12-08T15:30:00.000Z');
    await tasks();
    expect((await status(first.id)).reminders).toBe(1);
    // Run again at once: nothing more.
    await tasks();
    expect((await status(first.id)).version).toBe(2);
    const cancel = await write(['2'], 'appt-reply-1', a);
    expect(cancel.transcript.join('\n')).toContain(`Su cita ${first.code} quedó cancelada.`);
    const keep = await write(['CONFIRMAR'], 'appt-reply-2', b);
    expect(keep.transcript.join('\n')).toMatch(/Gracias. Le esperamos el miércoles, 9 de diciembre, 10:00/);
    const none = await write(['1'], 'appt-reply-3', '+50769990019');
    expect(none.transcript.join('\n')).toContain('No hay una cita pendiente de respuesta para este número');
    // Wednesday 08:30: the two-hour reminder; 10:16, the slot has closed and nobody checked in.
    now = new Date('2026-12-09T13:30:00.000Z');
    await tasks();
    expect((await status(second.id)).reminders).toBe(2);
    now = new Date('2026-12-09T15:16:00.000Z');
    await tasks();
    expect((await status(second.id)).status).toBe('no-show');
    expect((await status(third.id)).status).toBe('no-show');
    expect((await status(first.id)).status).toBe('cancelled');
    // The notifier sends each reminder once, by WhatsApp, with the answers it takes.
    const records = await tableStreamRecords(tables.doc as unknown as DynamoDBClient, tables.names.cases);
    expect(await notifier({ Records: records })).toEqual({ batchItemFailures: [] });
    const reminders = (await new DynamoOutbox(tables.doc, tables.names.cases).list(500)).filter(
      (m) => m.to === b && m.text.startsWith('Recordatorio'),
    );
    expect(reminders).toHaveLength(2);
    expect(reminders[0]).toMatchObject({ channel: 'WHATSAPP' });
    expect(reminders[0]!.text).toContain('Responda 1 o CONFIRMAR para mantenerla, 2 o CANCELAR');

    // A second missed appointment for the procedure: the line sends the citizen to a person to book it.
    now = NOW;
    await api('/appointments', '[agent]', {
      method: 'POST',
      body: {
        key: 'remind-again-third',
        citizenId: third.citizenId,
        officeId: 'plate-centre',
        topicId: 'lost-plate',
        start: '2026-12-09T15:15:00.000Z',
        notify: 'WHATSAPP',
      },
    });
    now = new Date('2026-12-09T15:31:00.000Z');
    await tasks();
    const refused = await write(['2-3', '1', '1'], 'appt-wa-no-shows', c);
    expect(refused.transcript.join('\n')).toContain(
      'Como no pudo asistir a sus últimas citas de este trámite',
    );
    expect(refused.end).toMatchObject({ kind: 'queued' });
  }, 60_000);

  it('a closure tells each citizen their appointment is cancelled, why, and how to book again', async () => {
    const phone = '+50769990021';
    const made = await api('/citizens', '[agent]', {
      method: 'POST',
      body: { givenNames: 'Inés', surnames: 'Cierre', phone },
    });
    const booked = await api('/appointments', '[agent]', {
      method: 'POST',
      body: {
        key: 'closure-booking-1',
        citizenId: made.body.citizen.id,
        officeId: 'civil-registry-centre',
        topicId: 'record-correction',
        start: '2026-12-11T13:10:00.000Z',
        notify: 'SMS',
      },
    });
    expect(booked.status).toBe(201);
    const closed = await api('/appointments/offices/civil-registry-centre/closures', '[supervisor]', {
      method: 'POST',
      body: { date: '2026-12-11', reason: 'fumigación' },
    });
    expect(closed.body).toMatchObject({ cancelled: 1 });
    const records = await tableStreamRecords(tables.doc as unknown as DynamoDBClient, tables.names.cases);
    expect(await notifier({ Records: records })).toEqual({ batchItemFailures: [] });
    const told = (await new DynamoOutbox(tables.doc, tables.names.cases).list(500)).filter(
      (m) => m.to === phone,
    );
    expect(told.map((m) => m.text)).toEqual([
      expect.stringMatching(
        /^Disculpe: su cita [2-9A-Z]{6} \(Corrección de datos, viernes, 11 de diciembre.*\(fumigación\)\. Para pedir otra cita, responda a este mensaje o llame/,
      ),
      expect.stringMatching(/^Cita confirmada/),
    ]);
  }, 60_000);

  it('offers a place freed on a full day to the first citizen waiting; let pass, it goes to the next, who takes it', async () => {
    const person = async (phone: string, surnames: string) =>
      (await api('/citizens', '[agent]', { method: 'POST', body: { givenNames: 'Eva', surnames, phone } }))
        .body.citizen.id as string;
    const office = 'civil-registry-centre';
    const topic = 'record-correction';
    // Thursday 10 December: every time closed but the last of the day (15:00), which two citizens book.
    await api(`/appointments/offices/${office}/closures`, '[supervisor]', {
      method: 'POST',
      body: { date: '2026-12-10', to: '15:00', reason: 'inventario' },
    });
    const last = '2026-12-10T20:00:00.000Z';
    const holders = [];
    for (const [i, phone] of ['+50769990031', '+50769990032'].entries())
      holders.push(
        (
          await api('/appointments', '[agent]', {
            method: 'POST',
            body: {
              key: `wait-holder-${i}`,
              citizenId: await person(phone, `Llena ${i}`),
              officeId: office,
              topicId: topic,
              start: last,
            },
          })
        ).body,
      );
    const [first, second] = ['+50769990033', '+50769990034'];
    for (const [i, phone] of [first, second].entries()) {
      // They come one after the other: the line keeps that order.
      now = new Date(NOW.getTime() + i * 60_000);
      const joined = await api('/appointments/waitlist', '[agent]', {
        method: 'POST',
        body: {
          citizenId: await person(phone, `Espera ${i}`),
          officeId: office,
          topicId: topic,
          date: '2026-12-10',
          notify: 'WHATSAPP',
        },
      });
      expect(joined).toMatchObject({ status: 201, body: { status: 'waiting' } });
    }
    expect(await tasks()).toMatchObject({ offered: 0 });
    // A place frees: offered to the first waiting, held for them, never booked without their yes.
    await api(`/appointments/${holders[0].id}/cancel`, '[agent]', { method: 'POST' });
    expect(await tasks()).toMatchObject({ offered: 1 });
    const waiting = async () =>
      (await api('/appointments/waitlist', '[agent]', { query: { office, topic, date: '2026-12-10' } })).body
        .waiting;
    const [w1] = await waiting();
    expect(w1).toMatchObject({ status: 'offered' });
    expect((await api(`/appointments/${w1.bookingId}`, '[agent]')).body).toMatchObject({
      status: 'held',
      offered: true,
    });
    // The first lets it pass ("2"): the next run offers it to the second, who takes it.
    expect((await write(['2'], 'wait-pass', first)).transcript.join('\n')).toContain('quedó cancelada');
    expect(await tasks()).toMatchObject({ offered: 1, offersPassed: 1 });
    const [, w2] = await waiting();
    expect(w2).toMatchObject({ status: 'offered' });
    expect((await write(['CONFIRMAR'], 'wait-take', second)).transcript.join('\n')).toMatch(
      /Gracias. Le esperamos el jueves, 10 de diciembre, 3:00/,
    );
    expect((await api(`/appointments/${w2.bookingId}`, '[agent]')).body.status).toBe('booked');
    await tasks();
    expect((await waiting()).map((w: { status: string }) => w.status)).toEqual(['done', 'done']);
    // The offer went by WhatsApp, with until when it is kept.
    const records = await tableStreamRecords(tables.doc as unknown as DynamoDBClient, tables.names.cases);
    expect(await notifier({ Records: records })).toEqual({ batchItemFailures: [] });
    const offer = (await new DynamoOutbox(tables.doc, tables.names.cases).list(500)).find(
      (m) => m.to === second && m.text.startsWith('Se liberó un cupo'),
    );
    expect(offer?.text).toMatch(/Responda 1 o CONFIRMAR antes de las lunes.*para reservarlo/);
  }, 60_000);
});
