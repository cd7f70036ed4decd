import { ACCESS_RULES } from '../../shared/domain/citizen-access';
import { apiOnFreshTables, transition, type ApiCall } from '../support/api';
import { citizenApiOn } from '../support/citizen-api';

/** Monday 7 December 2026, 09:00 in Panamá. */
let now = new Date('2026-12-07T14:00:00.000Z');
const clock = { now: () => now };
const later = (seconds: number) => (now = new Date(now.getTime() + seconds * 1000));

let api: ApiCall;
let citizen: ReturnType<typeof citizenApiOn>;
beforeAll(async () => {
  const fresh = await apiOnFreshTables(clock);
  api = fresh.api;
  citizen = citizenApiOn(fresh.tables, clock);
});

const askCode = (phone: string, from?: string, channel = 'SMS') =>
  citizen.call('/citizen/code', {
    method: 'POST',
    body: { phone, channel, language: 'es' },
    ...(from ? { from } : {}),
  });
const enter = (phone: string, code: string) =>
  citizen.call('/citizen/session', { method: 'POST', body: { phone, code } });
/** Signs in with the code just sent: the session's token. */
async function signedIn(phone: string, from?: string): Promise<string> {
  expect((await askCode(phone, from)).status).toBe(202);
  const session = await enter(phone, (await citizen.lastCode(phone))!);
  expect(session.status).toBe(200);
  return session.body.token as string;
}
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe("the citizen's sign-in by a code to their phone", () => {
  it('sends a code to any valid number alike, known or not, and refuses what is not a number by name', async () => {
    await api('/citizens', '[agent]', {
      method: 'POST',
      body: { givenNames: 'Rosa', surnames: 'Código Prueba', phone: '+50769991001' },
    });
    const known = await askCode('6999-1001');
    const unknown = await askCode('+50769991002');
    expect(known).toEqual({ ...unknown, headers: known.headers });
    expect(known.status).toBe(202);
    expect(known.body).toEqual({ expiresInSeconds: ACCESS_RULES.codeSeconds });
    // Both numbers get a code, in the language asked, and the code is only in the message.
    const sent = (await citizen.outbox.list()).filter((m) => m.id.startsWith('code-'));
    expect(sent.map((m) => m.to).sort()).toEqual(['+50769991001', '+50769991002']);
    expect(sent[0]!.text).toMatch(/^Su código de Ventanilla es \d{6}\. Caduca en 5 minutos\./);
    const bad = await askCode('12');
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('phone');
    // A number abroad gets no code: the administration sends messages to its own country's numbers.
    const abroad = await askCode('+447700900123');
    expect(abroad.status).toBe(400);
    expect(abroad.body.message).toMatch(/countries this service serves/);
    expect(await citizen.lastCode('+447700900123')).toBeUndefined();
    const badChannel = await citizen.call('/citizen/code', {
      method: 'POST',
      body: { phone: '+50769991001', channel: 'PIGEON' },
    });
    expect(badChannel.status).toBe(400);
    expect(badChannel.body.message).toMatch(/channel/);
  });

  it('takes a right code once, before it expires, and opens a session that ends', async () => {
    const phone = '+50769991003';
    expect((await askCode(phone)).status).toBe(202);
    const code = (await citizen.lastCode(phone))!;
    const session = await enter(phone, code);
    expect(session.status).toBe(200);
    expect(session.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Used once: the same code again is wrong.
    expect((await enter(phone, code)).body.code).toBe('WRONG_CODE');
    // A code read after five minutes is wrong too.
    await askCode(phone);
    const stale = (await citizen.lastCode(phone))!;
    later(ACCESS_RULES.codeSeconds + 1);
    expect((await enter(phone, stale)).status).toBe(401);
    // The session lets the citizen in; without it, or with another token, nothing is shown.
    const token = session.body.token as string;
    expect((await citizen.call('/citizen/me', { token })).status).toBe(200);
    expect((await citizen.call('/citizen/me')).body.code).toBe('SIGNED_OUT');
    expect((await citizen.call('/citizen/me', { token: `${token.slice(0, -1)}x` })).status).toBe(401);
    // It ends by itself after 30 minutes, and at once on signing out.
    const other = await signedIn(phone);
    later(ACCESS_RULES.sessionSeconds - ACCESS_RULES.codeSeconds);
    expect((await citizen.call('/citizen/me', { token })).status).toBe(401);
    expect((await citizen.call('/citizen/me', { token: other })).status).toBe(200);
    await citizen.call('/citizen/session/end', { method: 'POST', token: other, body: {} });
    expect((await citizen.call('/citizen/me', { token: other })).status).toBe(401);
  });

  it('locks a number after five wrong codes, for a while, even for the right code', async () => {
    const phone = '+50769991004';
    await askCode(phone);
    const code = (await citizen.lastCode(phone))!;
    for (let left = ACCESS_RULES.wrongCodes - 1; left >= 1; left--) {
      const answer = await enter(phone, wrong(code));
      expect(answer.status).toBe(401);
      expect(answer.body.message).toContain(`${left} attempts left`);
    }
    const locked = await enter(phone, wrong(code));
    expect(locked.status).toBe(429);
    expect(locked.headers['retry-after']).toBe(String(ACCESS_RULES.lockSeconds));
    // Locked: the right code, and a new one, are refused; nothing is sent meanwhile.
    expect((await enter(phone, code)).status).toBe(429);
    expect((await askCode(phone)).status).toBe(429);
    expect(await citizen.lastCode(phone)).toBe(code);
    // After the lock, a new code signs in.
    later(ACCESS_RULES.lockSeconds + 1);
    expect(await signedIn(phone)).toBeTruthy();
  });

  it('limits the codes asked per number and per address in an hour', async () => {
    const phone = '+50769991005';
    for (let i = 0; i < ACCESS_RULES.codesPerPhone; i++) expect((await askCode(phone)).status).toBe(202);
    const refused = await askCode(phone);
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(/this number/);
    later(ACCESS_RULES.windowSeconds + 1);
    expect((await askCode(phone)).status).toBe(202);
    // From one address, many numbers: stopped at the address's limit.
    const from = '203.0.113.9';
    for (let i = 0; i < ACCESS_RULES.codesPerAddress; i++)
      expect((await askCode(`+507699920${String(i).padStart(2, '0')}`, from)).status).toBe(202);
    const flood = await askCode('+50769992099', from);
    expect(flood.status).toBe(429);
    expect(flood.body.message).toMatch(/this address/);
    expect(await citizen.lastCode('+50769992099')).toBeUndefined();
  });
});

describe("the citizen's page: their cases, bookings and procedures", () => {
  it('shows the phone holder their cases in plain words, with the answer, and only theirs', async () => {
    const phone = '+50769991010';
    const citizenId = (
      await api('/citizens', '[agent]', {
        method: 'POST',
        body: { givenNames: 'Elena', surnames: 'Página Prueba', phone },
      })
    ).body.citizen.id as string;
    const opened = await api('/cases', '[agent]', {
      method: 'POST',
      body: { citizenId, topicId: 'tax-clearance', channel: 'VOICE', request: 'Paz y salvo' },
    });
    const ticket = opened.body.ticket as string;
    expect((await transition(api, ticket, '[agent]', { to: 'PENDING_RESPONSE' })).status).toBe(200);
    expect(
      (
        await transition(api, ticket, '[supervisor]', {
          to: 'PENDING_COMMUNICATION',
          answer: 'Su paz y salvo está listo.',
        })
      ).status,
    ).toBe(200);
    await api('/citizens', '[agent]', {
      method: 'POST',
      body: { givenNames: 'Otro', surnames: 'Ciudadano', phone: '+50769991011' },
    });
    const token = await signedIn(phone);
    const me = (await citizen.call('/citizen/me', { token })).body;
    expect(me.name).toBe('Elena');
    expect(me.cases).toEqual([
      expect.objectContaining({
        ticket,
        topic: 'Paz y salvo municipal',
        open: true,
        statusText: 'Ya tenemos respuesta a su solicitud.',
        answer: 'Su paz y salvo está listo.',
      }),
    ]);
    const english = (await citizen.call('/citizen/me', { token, query: { lang: 'en' } })).body;
    expect(english.cases[0].statusText).toBe('We have an answer to your request.');
    // The procedures say what each requires, and where it is booked.
    const { procedures } = (await citizen.call('/citizen/procedures', { token })).body;
    const plate = procedures.find((p: { id: string }) => p.id === 'plate-renewal');
    expect(plate.requirements.length).toBeGreaterThan(0);
    expect(plate.offices.map((o: { id: string }) => o.id)).toEqual(['plate-centre']);
  });
});

describe("the citizen's bookings on their page", () => {
  it('books, moves and cancels through the booking core, with the confirmation to the phone, never another’s', async () => {
    // A number new to the service: the booking gives it a provisional record, as a first call would.
    const phone = '+50769991020';
    const token = await signedIn(phone);
    const { slots } = (
      await citizen.call('/citizen/slots', {
        token,
        query: { office: 'plate-centre', topic: 'plate-renewal' },
      })
    ).body;
    expect(slots.length).toBeGreaterThan(2);
    const book = (start: string, key = 'web-key-00000001') =>
      citizen.call('/citizen/bookings', {
        method: 'POST',
        token,
        body: { key, officeId: 'plate-centre', topicId: 'plate-renewal', start },
      });
    const booked = await book(slots[0].start);
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({ status: 'booked', active: true, start: slots[0].start });
    expect(booked.body.words.what).toBe('Revisado y placa');
    // The same key again is the same booking; a second one for the procedure is refused by the core.
    expect((await book(slots[0].start)).body.id).toBe(booked.body.id);
    expect((await book(slots[1].start, 'web-key-00000002')).body.code).toBe('BOOKING_LIMIT');
    const staffView = await api(`/appointments/${booked.body.id}`, '[agent]');
    expect(staffView.body).toMatchObject({
      notify: { channel: 'SMS', to: phone },
      history: [expect.objectContaining({ by: 'citizen', channel: 'web' })],
    });
    const record = (await api('/citizens', '[agent]', { query: { phone } })).body;
    expect(JSON.stringify(record)).toContain('"provisional":true');
    // Someone else, signed in with their own phone, cannot touch it.
    const stranger = await signedIn('+50769991021');
    const theirs = await citizen.call(`/citizen/bookings/${booked.body.id}/cancel`, {
      method: 'POST',
      token: stranger,
      body: {},
    });
    expect(theirs.status).toBe(404);
    const moved = await citizen.call(`/citizen/bookings/${booked.body.id}/reschedule`, {
      method: 'POST',
      token,
      body: { start: slots[2].start },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.start).toBe(slots[2].start);
    const cancelled = await citizen.call(`/citizen/bookings/${booked.body.id}/cancel`, {
      method: 'POST',
      token,
      body: {},
    });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', active: false });
    const mine = (await citizen.call('/citizen/me', { token })).body;
    expect(mine.bookings.map((b: { id: string; status: string }) => [b.id, b.status])).toEqual([
      [booked.body.id, 'cancelled'],
    ]);
  });
});
