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
  call = apiCaller(await loadApiHandler(names, [], staff, { now: () => now }));
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
    const byCode = await call(`/appointments/code/${made.body.code}`, '[agent]');
    expect(byCode.body.id).toBe(made.body.id);
    const mine = await call(`/citizens/${id}/appointments`, '[agent]');
    expect(mine.body.appointments.map((b: { id: string }) => b.id)).toEqual([made.body.id]);
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
});
