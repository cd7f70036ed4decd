import { randomUUID } from 'node:crypto';
import { apiCaller, loadApiHandler, type ApiCall } from '../support/api';
import { freshTables } from '../support/dynamo';
import { demoPasswords } from '../../local/passwords';
import { loadUsers } from '../../local/session';

/** Monday 7 December 2026, 09:00 in Panamá: the plate centre is open, the next days are released. */
const now = new Date('2026-12-07T14:00:00.000Z');
let call: ApiCall;

beforeAll(async () => {
  const { names } = await freshTables();
  const staff = demoPasswords(loadUsers('config/city-hall')).store;
  // A clock that moves a millisecond each time it is read: what happens one after the other is ordered.
  let tick = 0;
  call = apiCaller(await loadApiHandler(names, [], staff, { now: () => new Date(now.getTime() + tick++) }));
});

let n = 0;
async function citizen(): Promise<string> {
  n++;
  const { status, body } = await call('/citizens', '[agent]', {
    method: 'POST',
    body: { givenNames: 'Ana', surnames: `Citas ${n}`, phone: `6400-${String(1000 + n)}` },
  });
  expect(status).toBe(201);
  return body.citizen.id;
}
const key = () => `req-${randomUUID()}`;
const book = (body: Record<string, unknown>, user = 'agent-7') =>
  call('/appointments', '[agent]', { method: 'POST', user, body: { key: key(), ...body } });

describe('appointments through the staff API', () => {
  it('lists the offices and the free slots, books for a citizen, and finds the booking by its code', async () => {
    const offices = await call('/appointments/offices', '[agent]');
    expect(offices.body.offices.map((o: { id: string }) => o.id)).toEqual([
      'plate-centre',
      'civil-registry-centre',
    ]);
    const slots = await call('/appointments/slots', '[agent]', {
      query: { office: 'plate-centre', topic: 'lost-plate', days: '2' },
    });
    expect(slots.status).toBe(200);
    // From 09:15 today (09:00 has begun), every quarter hour, 4 places each.
    expect(slots.body.slots[0]).toEqual({ start: '2026-12-07T14:15:00.000Z', free: 4 });
    const id = await citizen();
    const made = await book({
      citizenId: id,
      officeId: 'plate-centre',
      topicId: 'lost-plate',
      start: slots.body.slots[0].start,
      notify: 'WHATSAPP',
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      status: 'booked',
      citizenId: id,
      notify: { channel: 'WHATSAPP', to: expect.stringMatching(/^\+507/) },
      history: [{ status: 'booked', by: 'agent-7', channel: 'agent' }],
      words: { what: 'Pérdida o robo de placa', office: 'Centro de placas' },
    });
    expect(made.body.words.when).toMatch(/lunes, 7 de diciembre/);
    const after = await call('/appointments/slots', '[agent]', {
      query: { office: 'plate-centre', topic: 'lost-plate', days: '1' },
    });
    expect(after.body.slots[0]).toEqual({ start: '2026-12-07T14:15:00.000Z', free: 3 });
    // No case open on the procedure: on none. With one open, a booking for it is on that case.
    expect(made.body.ticket).toBeUndefined();
    const opened = await call('/cases', '[agent]', {
      method: 'POST',
      body: { citizenId: id, topicId: 'plate-renewal', channel: 'VOICE' },
    });
    const onCase = await book({
      citizenId: id,
      officeId: 'plate-centre',
      topicId: 'plate-renewal',
      start: '2026-12-09T14:00:00.000Z',
    });
    expect(onCase.body.ticket).toBe(opened.body.ticket);
    const byCode = await call(`/appointments/code/${made.body.code}`, '[agent]');
    expect(byCode.body.id).toBe(made.body.id);
    const mine = await call(`/citizens/${id}/appointments`, '[agent]');
    expect(mine.body.appointments.map((b: { id: string }) => b.id)).toEqual([onCase.body.id, made.body.id]);
  });

  it('moves and cancels a booking, and refuses what cannot be, naming the field', async () => {
    const id = await citizen();
    const base = { citizenId: id, officeId: 'plate-centre', topicId: 'plate-renewal' };
    const made = await book({ ...base, start: '2026-12-09T13:00:00.000Z' });
    expect(made.status).toBe(201);
    // One active booking per procedure.
    expect(await book({ ...base, start: '2026-12-09T13:10:00.000Z' })).toMatchObject({
      status: 409,
      body: { code: 'BOOKING_LIMIT' },
    });
    // Not a slot, a holiday, past, not yet released, an office that does not book it.
    for (const [start, message] of [
      ['2026-12-09T13:05:00.000Z', /not a slot/],
      ['2026-12-08T13:00:00.000Z', /not a slot/],
      ['2026-12-07T13:00:00.000Z', /already begun/],
      ['2027-01-11T13:00:00.000Z', /opens for booking/],
    ] as const) {
      const refused = await call(`/appointments/${made.body.id}/reschedule`, '[agent]', {
        method: 'POST',
        body: { start },
      });
      expect(refused).toMatchObject({
        status: 400,
        body: { field: 'start', message: expect.stringMatching(message) },
      });
    }
    expect(
      await book({ ...base, officeId: 'civil-registry-centre', start: '2026-12-09T13:00:00.000Z' }),
    ).toMatchObject({
      status: 404,
    });
    expect(await book({ ...base, key: 'short', start: '2026-12-09T13:00:00.000Z' })).toMatchObject({
      status: 400,
      body: { field: 'key' },
    });
    expect(await book({ ...base, citizenId: 'nobody', start: '2026-12-09T13:00:00.000Z' })).toMatchObject({
      status: 400,
      body: { field: 'citizenId' },
    });
    const moved = await call(`/appointments/${made.body.id}/reschedule`, '[supervisor]', {
      method: 'POST',
      user: 'sup-1',
      body: { start: '2026-12-10T15:30:00.000Z' },
    });
    expect(moved).toMatchObject({
      status: 200,
      body: { status: 'booked', slot: { start: '2026-12-10T15:30:00.000Z' } },
    });
    expect(moved.body.history.at(-1)).toMatchObject({ by: 'sup-1', from: '2026-12-09T13:00:00.000Z' });
    const cancelled = await call(`/appointments/${made.body.id}/cancel`, '[agent]', {
      method: 'POST',
      body: { reason: 'No puede asistir' },
    });
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    expect(cancelled.body.history.at(-1)).toMatchObject({ status: 'cancelled', reason: 'No puede asistir' });
    const again = await call(`/appointments/${made.body.id}/cancel`, '[agent]', { method: 'POST' });
    expect(again).toMatchObject({ status: 409, body: { code: 'ILLEGAL_TRANSITION' } });
    // The limit is free again.
    expect((await book({ ...base, start: '2026-12-09T13:10:00.000Z' })).status).toBe(201);
  });

  it('keeps back-office users out, and a retried request is the same booking', async () => {
    const id = await citizen();
    const body = {
      key: key(),
      citizenId: id,
      officeId: 'plate-centre',
      topicId: 'lost-plate',
      start: '2026-12-11T15:00:00.000Z',
    };
    expect((await call('/appointments', '[backoffice]', { method: 'POST', body })).status).toBe(403);
    const first = await call('/appointments', '[agent]', { method: 'POST', body });
    const second = await call('/appointments', '[agent]', { method: 'POST', body });
    expect(second.body).toEqual(first.body);
    const slots = await call('/appointments/slots', '[agent]', {
      query: { office: 'plate-centre', topic: 'lost-plate', from: '2026-12-11', days: '1' },
    });
    expect(slots.body.slots.find((s: { start: string }) => s.start === body.start)).toEqual({
      start: body.start,
      free: 3,
    });
    expect(
      await call('/appointments/slots', '[agent]', {
        query: { office: 'plate-centre', topic: 'lost-plate', days: '90' },
      }),
    ).toMatchObject({
      status: 400,
      body: { field: 'days' },
    });
  });

  it('at the office: checks in by code or document with a queue number, calls the next to a desk, serves; shows the day in figures', async () => {
    const made = await call('/citizens', '[agent]', {
      method: 'POST',
      body: {
        givenNames: 'Olga',
        surnames: 'Pinzón',
        phone: '6400-2001',
        document: { type: 'CEDULA', number: '8-222-333' },
      },
    });
    const olga = made.body.citizen.id as string;
    const other = await citizen();
    const a = await book({
      citizenId: olga,
      officeId: 'plate-centre',
      topicId: 'plate-renewal',
      start: '2026-12-07T15:00:00.000Z',
    });
    const b = await book({
      citizenId: other,
      officeId: 'plate-centre',
      topicId: 'lost-plate',
      start: '2026-12-07T14:30:00.000Z',
    });
    const later = await book({
      citizenId: other,
      officeId: 'plate-centre',
      topicId: 'plate-renewal',
      start: '2026-12-09T15:00:00.000Z',
    });
    const office = '/appointments/offices/plate-centre';
    // Another day's booking, another office, a code that is no booking, neither code nor document.
    expect(
      await call(`${office}/checkin`, '[agent]', { method: 'POST', body: { code: later.body.code } }),
    ).toMatchObject({
      status: 409,
      body: { code: 'NOT_TODAY' },
    });
    expect(
      await call('/appointments/offices/civil-registry-centre/checkin', '[agent]', {
        method: 'POST',
        body: { code: a.body.code },
      }),
    ).toMatchObject({ status: 400, body: { field: 'code' } });
    expect(
      (await call(`${office}/checkin`, '[agent]', { method: 'POST', body: { code: 'ZZZZZZ' } })).status,
    ).toBe(404);
    expect((await call(`${office}/checkin`, '[agent]', { method: 'POST', body: {} })).body.field).toBe(
      'code',
    );
    // Olga by her document, then the other by code (lower case as keyed): numbers by procedure letter and arrival.
    const first = await call(`${office}/checkin`, '[agent]', {
      method: 'POST',
      body: { document: { number: '8-222-333' } },
    });
    expect(first.body).toMatchObject({ id: a.body.id, status: 'checked-in', queueNumber: 'A-001' });
    const second = await call(`${office}/checkin`, '[agent]', {
      method: 'POST',
      body: { code: b.body.code.toLowerCase() },
    });
    expect(second.body).toMatchObject({ status: 'checked-in', queueNumber: 'B-002' });
    // Twice: the same number.
    expect(
      (await call(`${office}/checkin`, '[agent]', { method: 'POST', body: { code: b.body.code } })).body
        .queueNumber,
    ).toBe('B-002');
    // The earlier slot is called first, whoever arrived first.
    const called = await call(`${office}/call-next`, '[agent]', { method: 'POST', body: { desk: '3' } });
    expect(called.body).toMatchObject({ queueNumber: 'B-002', desk: '3' });
    await call(`${office}/call-next`, '[agent]', { method: 'POST', body: { desk: '4' } });
    expect(
      (await call(`${office}/call-next`, '[agent]', { method: 'POST', body: { desk: '4' } })).status,
    ).toBe(404);
    const display = await call(`${office}/display`, '[agent]');
    expect(
      display.body.called.map((c: { queueNumber: string; desk: string }) => [c.queueNumber, c.desk]),
    ).toEqual([
      ['A-001', '4'],
      ['B-002', '3'],
    ]);
    expect(JSON.stringify(display.body)).not.toMatch(/Olga|Pinz|citizen/);
    expect((await call(`/appointments/${a.body.id}/served`, '[agent]', { method: 'POST' })).body.status).toBe(
      'served',
    );
    const day = await call(`${office}/day`, '[agent]', { query: { date: '2026-12-07' } });
    // 54 ten-minute plate-renewal slots of 84 places, 36 quarter-hours of lost plates (4) and new plates (2).
    expect(day.body).toMatchObject({ places: 54 * 84 + 36 * 4 + 36 * 2, checkedIn: 2, served: 1, noShow: 0 });
    expect(day.body.booked).toBeGreaterThanOrEqual(2);
    expect(day.body.free).toBe(day.body.places - day.body.booked - day.body.held);
    expect(day.body.bookingRate).toBeCloseTo(day.body.booked / day.body.places, 3);
  });

  it('closes part of a day: its bookings cancelled with the reason, its slots take no one, the rest untouched; run again, nothing new', async () => {
    const one = await citizen();
    const two = await citizen();
    const inside = await book({
      citizenId: one,
      officeId: 'plate-centre',
      topicId: 'plate-renewal',
      start: '2026-12-10T14:00:00.000Z',
    });
    const outside = await book({
      citizenId: two,
      officeId: 'plate-centre',
      topicId: 'plate-renewal',
      start: '2026-12-10T20:00:00.000Z',
    });
    const close = (role: string) =>
      call('/appointments/offices/plate-centre/closures', role, {
        method: 'POST',
        body: { date: '2026-12-10', from: '07:00', to: '12:00', reason: 'corte de luz' },
      });
    expect((await close('[agent]')).status).toBe(403);
    const first = await close('[supervisor]');
    // 07:00–12:00: 30 plate-renewal slots, 20 lost-plate slots and 20 new-plate slots.
    expect(first.body).toEqual({ slotsClosed: 70, cancelled: 1 });
    expect((await close('[supervisor]')).body).toEqual({ slotsClosed: 70, cancelled: 0 });
    const after = (await call(`/appointments/${inside.body.id}`, '[agent]')).body;
    expect(after.status).toBe('cancelled');
    expect(after.history.at(-1)).toMatchObject({ reason: 'closure: corte de luz' });
    expect((await call(`/appointments/${outside.body.id}`, '[agent]')).body.status).toBe('booked');
    const slots = await call('/appointments/slots', '[agent]', {
      query: { office: 'plate-centre', topic: 'plate-renewal', from: '2026-12-10', days: '1' },
    });
    expect(slots.body.slots[0].start).toBe('2026-12-10T17:00:00.000Z');
    expect(
      await book({
        citizenId: one,
        officeId: 'plate-centre',
        topicId: 'plate-renewal',
        start: '2026-12-10T14:00:00.000Z',
      }),
    ).toMatchObject({ status: 409, body: { code: 'SLOT_FULL' } });
    expect(
      await call('/appointments/offices/plate-centre/closures', '[supervisor]', {
        method: 'POST',
        body: { date: '2026-12-10', from: '12:00', to: '07:00', reason: 'corte' },
      }),
    ).toMatchObject({ status: 400, body: { field: 'to' } });
  });
});
