import { randomUUID } from 'node:crypto';
import { until } from '../support/until';
import { testDynamoEndpoint } from '../support/dynamo';
import { atBusinessHour } from '../support/business-hour';
import { startLocalBackEnd } from '../../local/back-end';
import { seedDemo } from '../../local/seed-demo';
import type { DeskView } from '../../local/desk';
import type { PhoneEvent } from '../../local/phone';
import { serverEvents } from '../../local/sse-client';

type BackEnd = Awaited<ReturnType<typeof startLocalBackEnd>>;
let backEnd: BackEnd;

beforeAll(async () => {
  backEnd = await startLocalBackEnd({
    configDir: 'config/city-hall',
    dynamoEndpoint: testDynamoEndpoint(),
    tablePrefix: `k${randomUUID().slice(0, 8)}-`,
    port: 0,
    logLevel: 'ERROR',
    flowsAt: atBusinessHour,
  });
  await seedDemo(backEnd.doc, backEnd.names, backEnd.config);
}, 60_000);
afterAll(() => backEnd?.stop());

/** Follows a server-sent events stream in the background, keeping every event, until closed. */
function sse<T>(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const events: T[] = [];
  const waiters: (() => void)[] = [];
  void (async () => {
    for await (const { data } of serverEvents(url, { headers, signal: controller.signal })) {
      events.push(data as T);
      waiters.splice(0).forEach((w) => w());
    }
  })().catch(() => undefined);
  return {
    events,
    async until(ok: (e: T) => boolean, ms = 5000): Promise<T> {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = events.find(ok);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no such event in ${ms} ms: ${JSON.stringify(events)}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
    close: () => controller.abort(),
  };
}

const agentToken = (username: string, name: string, role: 'agent' | 'supervisor' | 'admin' = 'agent') =>
  backEnd.sessions.sign({ sub: username, name, role });

async function post(path: string, body: unknown = {}, token?: string) {
  const res = await fetch(`${backEnd.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const live = async () =>
  (await (
    await fetch(`${backEnd.url}/api/metrics/live`, { headers: { authorization: `Bearer ${backEnd.token}` } })
  ).json()) as { agents: Record<string, number>; queues: { queue: string; waiting: number }[] };

const intervals = async () =>
  (await (
    await fetch(`${backEnd.url}/api/metrics/intervals?period=day`, {
      headers: { authorization: `Bearer ${backEnd.token}` },
    })
  ).json()) as { rows: { scope: string; counters: Record<string, number> }[] };

describe('a person as an agent of the local routing', () => {
  it('rings within a second, and the whole contact reaches the stream as Connect sends it', async () => {
    const token = agentToken('agente', 'Pedro Vargas');
    const desk = sse<DeskView>(`${backEnd.url}/local/desk/events`, { authorization: `Bearer ${token}` });
    try {
      await desk.until((v) => v.status === 'Offline');
      expect((await post('/local/desk/status', { status: 'Available' }, token)).body.status).toBe(
        'Available',
      );
      // Ana María calls, proves who she is and asks for a person.
      const placed = await post('/local/phone/contacts', {
        channel: 'voice',
        from: '+50760001234',
        keys: ['1', '8123456#', '2', '0'],
      });
      expect(placed.status).toBe(201);
      const { contactId } = placed.body as { contactId: string };
      const caller = sse<PhoneEvent>(`${backEnd.url}/local/phone/contacts/${contactId}/events`);
      try {
        await caller.until((e) => e.type === 'queued');
        const queuedAt = Date.now();
        const ringing = await desk.until((v) => v.contact?.state === 'ringing');
        expect(Date.now() - queuedAt).toBeLessThan(1000);
        expect(ringing.contact).toMatchObject({ contactId, channel: 'VOICE', phone: '+50760001234' });
        // The flows' attributes: opaque ids and flags, no name.
        expect(ringing.contact!.attributes).toMatchObject({ verified: 'true' });
        expect(JSON.stringify(ringing.contact!.attributes)).not.toMatch(/Ana|8123456/);

        expect((await post(`/local/desk/contacts/${contactId}/accept`, {}, token)).status).toBe(200);
        await caller.until((e) => e.type === 'connected');
        const onContact = await until(live, (l) => l.agents.ON_CONTACT === 1);
        expect(onContact.agents.ON_CONTACT).toBe(1);

        // A message on a call is refused; the call is hung up, after-contact work, then clear.
        expect(
          (await post(`/local/desk/contacts/${contactId}/messages`, { text: 'hola' }, token)).status,
        ).toBe(409);
        // Clearing before hanging up is refused with a reason.
        const early = await post(`/local/desk/contacts/${contactId}/clear`, {}, token);
        expect(early).toMatchObject({ status: 409, body: { code: 'WRONG_STATE' } });
        await post(`/local/desk/contacts/${contactId}/hang-up`, {}, token);
        await caller.until((e) => e.type === 'ended' && e.by === 'agent');
        await desk.until((v) => v.contact?.state === 'after-contact-work');
        expect((await until(live, (l) => l.agents.AFTER_CONTACT_WORK === 1)).agents.AFTER_CONTACT_WORK).toBe(
          1,
        );
        const cleared = await post(`/local/desk/contacts/${contactId}/clear`, {}, token);
        expect(cleared.body.contact).toBeUndefined();
        expect((await until(live, (l) => l.agents.AVAILABLE === 1)).agents.AVAILABLE).toBe(1);

        // The contact record counted the contact as answered and handled in its queue.
        const rows = await until(intervals, (r) => r.rows.some((row) => row.counters.handled === 1));
        expect(rows.rows.some((row) => row.counters.handled === 1 && row.counters.answered === 1)).toBe(true);
      } finally {
        caller.close();
      }
      await post('/local/desk/status', { status: 'Offline' }, token);
      expect((await until(live, (l) => !l.agents.AVAILABLE)).agents.AVAILABLE ?? 0).toBe(0);
    } finally {
      desk.close();
    }
  }, 30_000);

  it('a WhatsApp conversation both ways; a rejected contact rings the next agent; hanging up in the queue abandons', async () => {
    const pedro = agentToken('agente', 'Pedro Vargas');
    const marta = agentToken('supervisora', 'Marta Ríos', 'supervisor');
    const a = sse<DeskView>(`${backEnd.url}/local/desk/events`, { authorization: `Bearer ${pedro}` });
    const b = sse<DeskView>(`${backEnd.url}/local/desk/events`, { authorization: `Bearer ${marta}` });
    try {
      await post('/local/desk/status', { status: 'Available' }, pedro);
      await new Promise((r) => setTimeout(r, 20));
      await post('/local/desk/status', { status: 'Available' }, marta);
      const { contactId } = (
        await post('/local/phone/contacts', { channel: 'whatsapp', from: '+50760001234', says: ['agente'] })
      ).body as { contactId: string };
      const caller = sse<PhoneEvent>(`${backEnd.url}/local/phone/contacts/${contactId}/events`);
      try {
        await caller.until((e) => e.type === 'queued');
        // Pedro has been idle longer: his rings first; he rejects, and Marta's rings.
        await a.until((v) => v.contact?.contactId === contactId && v.contact.state === 'ringing');
        await post(`/local/desk/contacts/${contactId}/reject`, {}, pedro);
        await b.until((v) => v.contact?.contactId === contactId && v.contact.state === 'ringing');
        await post('/local/phone/contacts/' + contactId + '/input', { text: 'Buenas, ¿me atienden?' });
        await post(`/local/desk/contacts/${contactId}/accept`, {}, marta);
        const seen = await b.until(
          (v) => v.contact?.messages.some((m) => m.text === 'Buenas, ¿me atienden?') ?? false,
        );
        expect(seen.contact!.subtype).toBe('connect:WhatsApp');
        await post(`/local/desk/contacts/${contactId}/messages`, { text: 'Sí, dígame.' }, marta);
        await caller.until((e) => e.type === 'message' && e.text === 'Sí, dígame.');
        await post(`/local/phone/contacts/${contactId}/input`, { text: 'Gracias, eso era todo.' });
        await b.until((v) => v.contact?.messages.at(-1)?.text === 'Gracias, eso era todo.');
        // The customer leaves: the agent is in after-contact work.
        await post(`/local/phone/contacts/${contactId}/hang-up`);
        await b.until((v) => v.contact?.state === 'after-contact-work');
        await post(`/local/desk/contacts/${contactId}/clear`, {}, marta);
      } finally {
        caller.close();
      }

      // With nobody available, a second contact waits; its caller hangs up: abandoned, nobody rings.
      await post('/local/desk/status', { status: 'Break' }, pedro);
      await post('/local/desk/status', { status: 'Break' }, marta);
      const second = (
        await post('/local/phone/contacts', { channel: 'sms', from: '+50760009999', says: ['agente'] })
      ).body.contactId as string;
      const secondCaller = sse<PhoneEvent>(`${backEnd.url}/local/phone/contacts/${second}/events`);
      try {
        await secondCaller.until((e) => e.type === 'queued');
        const waiting = await until(live, (l) => l.queues.some((q) => q.waiting > 0));
        expect(waiting.queues.some((q) => q.waiting === 1)).toBe(true);
        await post(`/local/phone/contacts/${second}/hang-up`);
        // Abandoned, as Connect records it; and, once every event of both contacts is applied (each contact's
        // events are in order on its own shard, the shards each at its own pace), nobody is waiting.
        const day = await until(intervals, (r) => r.rows.some((row) => row.counters.abandoned === 1));
        expect(day.rows.some((row) => row.counters.abandoned === 1)).toBe(true);
        const settled = await until(live, (l) => l.queues.every((q) => q.waiting === 0));
        expect(settled.queues.every((q) => q.waiting === 0)).toBe(true);
      } finally {
        secondCaller.close();
      }
      expect(a.events.at(-1)!.contact).toBeUndefined();
      await post('/local/desk/status', { status: 'Offline' }, pedro);
      await post('/local/desk/status', { status: 'Offline' }, marta);
    } finally {
      a.close();
      b.close();
    }
  }, 30_000);

  it('in surge a caller takes a callback: the agent is rung for it as a callback to their number, and the number may ask again once it is over', async () => {
    const supervisor = agentToken('supervisora', 'Marta Ríos', 'supervisor');
    const api = (path: string, body: unknown) => post(`/api${path}`, body, supervisor);
    const token = agentToken('agente', 'Pedro Vargas');
    const desk = sse<DeskView>(`${backEnd.url}/local/desk/events`, { authorization: `Bearer ${token}` });
    const from = '+50760009876';
    expect((await api('/surge/tax', { on: true, reason: 'vencimiento' })).status).toBe(200);
    try {
      await post('/local/desk/status', { status: 'Available' }, token);
      // Spanish, tax, payment plan; in surge the callback comes first: yes, on this number.
      const placed = await post('/local/phone/contacts', {
        channel: 'voice',
        from,
        keys: ['1', '1', '3', '1', '1'],
      });
      const caller = sse<PhoneEvent>(`${backEnd.url}/local/phone/contacts/${placed.body.contactId}/events`);
      try {
        await caller.until((e) => e.type === 'line' && e.text.includes('Estamos recibiendo muchas llamadas'));
        await caller.until((e) => e.type === 'line' && e.text.includes('terminado en 9 8 7 6'));
        await caller.until((e) => e.type === 'ended');
      } finally {
        caller.close();
      }
      // After the callback's delay it rings the agent, as a callback to the caller's number.
      const ringing = await desk.until((v) => v.contact?.state === 'ringing', 10_000);
      expect(ringing.contact).toMatchObject({ callback: true, phone: from, channel: 'VOICE' });
      expect(ringing.contact!.attributes).toMatchObject({
        callbackRequested: 'true',
        ticket: expect.any(String),
      });
      const id = ringing.contact!.contactId;
      await post(`/local/desk/contacts/${id}/accept`, {}, token);
      await post(`/local/desk/contacts/${id}/hang-up`, {}, token);
      await post(`/local/desk/contacts/${id}/clear`, {}, token);
      // Its record reached the metrics: the number's request is over, and the day counts it handled.
      const counted = await until(intervals, (r) =>
        r.rows.some((row) => (row.counters.callbacksHandled ?? 0) > 0),
      );
      expect(
        counted.rows.some(
          (row) => row.counters.callbacksHandled === 1 && row.counters.callbacksRequested === 1,
        ),
      ).toBe(true);
      const again = await post('/local/phone/contacts', {
        channel: 'voice',
        from,
        keys: ['2', '1', '3', '2'],
      });
      const second = sse<PhoneEvent>(`${backEnd.url}/local/phone/contacts/${again.body.contactId}/events`);
      try {
        await second.until((e) => e.type === 'line' && e.text.includes('sin perder su turno'));
        expect(second.events.some((e) => e.type === 'line' && e.text.includes('pendiente'))).toBe(false);
        await second.until((e) => e.type === 'queued');
        await post(`/local/phone/contacts/${again.body.contactId}/hang-up`);
      } finally {
        second.close();
      }
    } finally {
      await api('/surge/tax', { on: false, reason: 'fin de la prueba' });
      await post('/local/desk/status', { status: 'Offline' }, token);
      desk.close();
    }
  }, 30_000);

  it('refuses what is not a desk: other roles, other agents’ contacts, unknown statuses', async () => {
    const admin = agentToken('admin', 'Administración', 'admin');
    expect((await post('/local/desk/status', { status: 'Available' }, admin)).status).toBe(403);
    expect((await post('/local/desk/status', { status: 'Available' })).status).toBe(401);
    const pedro = agentToken('agente', 'Pedro Vargas');
    const wrong = await post('/local/desk/status', { status: 'Lunch' }, pedro);
    expect(wrong).toMatchObject({ status: 400, body: { code: 'INVALID_INPUT' } });
    expect(wrong.body.message).toMatch(/status/);
    await post('/local/desk/status', { status: 'Available' }, pedro);
    expect((await post(`/local/desk/contacts/${randomUUID()}/accept`, {}, pedro)).status).toBe(404);
    await post('/local/desk/status', { status: 'Offline' }, pedro);
    const bad = await post('/local/phone/contacts', { channel: 'fax', from: '+50760001234' });
    expect(bad).toMatchObject({ status: 400, body: { code: 'INVALID_INPUT' } });
    expect(bad.body.message).toMatch(/channel/);
  });
});
