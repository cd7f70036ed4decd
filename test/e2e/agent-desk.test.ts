/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { seedDemo } from '../../local/seed-demo';
import type { PhoneEvent } from '../../local/phone';
import { serverEvents } from '../../local/sse-client';
import { formatTicket } from '../../shared/domain/ticket';
import { axeViolations } from '../support/axe';
import { connectEvent } from '../support/connect';
import { pagesOnLocalBackEnd } from '../support/browser';
import { atBusinessHour } from '../support/business-hour';
import { localApi } from '../support/local-api';

const ANA = '+50760001234';
const api = (path: string, method = 'GET', body?: unknown, ifMatch?: string) =>
  localApi(world.backEnd)(path, method, body, ifMatch);

/** The agent's panel, signed in, Available in the local routing. */
async function availableAgent(username: string): Promise<Page> {
  const page = await world.signedIn('/agent/', username);
  await page.locator('#desk').waitFor();
  await page.selectOption('#desk-status', 'Available');
  await page.locator('#desk-line', { hasText: 'Disponible' }).waitFor();
  return page;
}

/** Out of the routing at the end of a test, so that the next test's contacts ring only its own agent. */
async function offline(page: Page) {
  await page.selectOption('#desk-status', 'Offline');
  await page.locator('#desk-line', { hasText: /Desconectado|Not taking|No recibe/ }).waitFor();
}

/** A caller on the local telephone network, as `npm run call` places one; `events` fills as they come. */
async function call(channel: string, from: string, script: { keys?: string[]; says?: string[] }) {
  const res = await fetch(`${world.backEnd.url}/local/phone/contacts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ channel, from, ...script }),
  });
  const { contactId } = (await res.json()) as { contactId: string };
  const events: (PhoneEvent & { receivedAt: number })[] = [];
  const controller = new AbortController();
  void (async () => {
    for await (const { data } of serverEvents(
      `${world.backEnd.url}/local/phone/contacts/${contactId}/events`,
      {
        signal: controller.signal,
      },
    ))
      events.push({ ...(data as PhoneEvent), receivedAt: Date.now() });
  })().catch(() => undefined);
  const until = async (ok: (e: PhoneEvent) => boolean, ms = 10_000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = events.find(ok);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`caller: no such event in ${JSON.stringify(events)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const lines = () => events.flatMap((e) => (e.type === 'line' ? [e.text] : []));
  return { contactId, events, until, lines, close: () => controller.abort() };
}

/** A voice call through the flows to the end (no person), and what the caller heard. */
async function statusLineHears(keys: string[]) {
  const caller = await call('status-line', ANA, { keys });
  try {
    await caller.until((e) => e.type === 'ended' || e.type === 'queued', 20_000);
    return caller.lines().join('\n');
  } finally {
    caller.close();
  }
}

// Callers reach a person at any hour the test runs: the flows check opening hours at a Tuesday 10:00.
const world = pagesOnLocalBackEnd(
  'agent desk',
  async (backEnd) => {
    await seedDemo(backEnd.doc, backEnd.names, backEnd.config);
  },
  atBusinessHour,
);

describe('a person as the agent, in Chromium', () => {
  it('a known citizen calls and asks for a person: the panel rings within a second, pops, and what the agent records reaches her next call', async () => {
    const found = await api(`/citizens?phone=${encodeURIComponent(ANA)}`);
    const ana = found.body.items[0];
    const view = await api(`/citizens/${ana.id}`);
    const openCase = view.body.cases.find((c: { status: string }) => c.status === 'OPEN');
    // Earlier contacts of hers on other channels, about the same case.
    for (const fixture of ['chat-sms', 'chat-whatsapp'] as const)
      await world.backEnd.handlers.createCase(
        connectEvent(fixture, { phone: ANA, parameters: { topic: openCase.topicId } }),
      );

    const page = await availableAgent('agente');
    const caller = await call('voice', ANA, { keys: ['1', '8123456#', '2', '0'] });
    try {
      const queued = await caller.until((e) => e.type === 'queued');
      await page.locator('#ring').waitFor();
      const rang = Date.now();
      expect(rang - (queued as { receivedAt: number } & PhoneEvent).receivedAt).toBeLessThan(1000);
      expect(await page.textContent('#ring-what')).toBe(`Llamada de ${ANA}`);
      // The focus is on Accept: Enter answers.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('accept');
      await page.screenshot({ path: 'test-results/agent-ring.png' });
      await page.keyboard.press('Enter');
      await caller.until((e) => e.type === 'connected');

      // The pop: who she is (proved on the call), her open case with ticket and status, her other channels.
      await page.locator('#citizen-h', { hasText: 'Ana María' }).waitFor();
      expect(await page.textContent('#contact-verified')).toContain('Identidad comprobada');
      const open = page.locator(`#open-cases li[data-ticket="${openCase.ticket}"]`);
      expect(await open.textContent()).toContain(formatTicket(openCase.ticket));
      expect(await open.textContent()).toContain('Abierto');
      const timeline = await page.textContent('#timeline');
      for (const channel of ['SMS', 'WhatsApp']) expect(timeline).toContain(channel);

      // A note, then the answer the office gave, recorded on the case.
      await open.locator('button').click();
      await page.locator('#case-h').waitFor();
      await page.fill('#note-text', 'Llamó para saber si ya hay respuesta.');
      await page.click('#note-form button');
      await page.locator('#notes', { hasText: 'Llamó para saber' }).waitFor();
      await page.click('[data-move="PENDING_RESPONSE"]');
      await page.locator('[data-fact="status"]', { hasText: 'Esperando respuesta' }).waitFor();
      await page.fill('#move-answer', 'Su impuesto está al día; puede retirar el paz y salvo.');
      await page.click('[data-move="PENDING_COMMUNICATION"]');
      await page.locator('[data-fact="status"]', { hasText: 'Respuesta lista' }).waitFor();

      // She hangs up; after-contact work: topic and note go on her timeline, then the agent is routable.
      await page.click('#hang-up');
      await caller.until((e) => e.type === 'ended');
      await page.locator('#acw').waitFor();
      await page.selectOption('#acw-topic', openCase.topicId);
      await page.fill('#acw-note', 'Pidió el estado; se registró la respuesta de la oficina.');
      await page.screenshot({ path: 'test-results/agent-acw.png' });
      await page.click('#acw-save');
      await page.locator('#desk-line', { hasText: 'Disponible' }).waitFor();
      const after = await api(`/citizens/${ana.id}`);
      const recorded = after.body.contacts.find(
        (c: { contactId: string }) => c.contactId === caller.contactId,
      );
      expect(recorded.wrapUp).toMatchObject({
        topicId: openCase.topicId,
        note: 'Pidió el estado; se registró la respuesta de la oficina.',
        by: { id: 'agente', role: 'agent' },
      });
      const onCase = await api(`/cases/${openCase.ticket}`);
      expect(onCase.body.contacts.map((c: { contactId: string }) => c.contactId)).toContain(caller.contactId);
    } finally {
      caller.close();
    }

    await offline(page);
    // Her next call to the status line: she proves who she is and hears the new status and the answer.
    const heard = await statusLineHears(['8123456#', `${openCase.ticket}#`]);
    expect(heard).toContain('Su impuesto está al día; puede retirar el paz y salvo.');
  }, 90_000);

  it('an unknown caller: registered from the pop, the case and the contact land on the new citizen', async () => {
    const page = await availableAgent('agente');
    const phone = '+50760007777';
    const caller = await call('voice', phone, { keys: ['1', '0'] });
    try {
      await page.locator('#ring').waitFor();
      await page.click('#accept');
      await page.locator('#register-form').waitFor();
      expect(await page.inputValue('#reg-phone')).toBe(phone);
      expect(await page.textContent('#contact-verified')).toContain('no comprobada');
      await page.fill('#reg-given', 'Rubén');
      await page.fill('#reg-surnames', 'Atencio');
      await page.click('#register-form button');
      await page.locator('#citizen-h', { hasText: 'Rubén Atencio' }).waitFor();
      await page.selectOption('#open-topic', 'birth-certificate');
      await page.click('#open-form button');
      await page.locator('#case-h').waitFor();
      await page.click('#hang-up');
      await page.locator('#acw').waitFor();
      await page.fill('#acw-note', 'Primera llamada; se registró y abrió el caso.');
      await page.click('#acw-save');
      await page.locator('#desk-line', { hasText: 'Disponible' }).waitFor();
      await offline(page);
    } finally {
      caller.close();
    }
    const found = await api(`/citizens?phone=${encodeURIComponent(phone)}`);
    const view = await api(`/citizens/${found.body.items[0].id}`);
    expect(view.body.cases.map((c: { topicId: string }) => c.topicId)).toEqual(['birth-certificate']);
    expect(view.body.contacts).toEqual([
      expect.objectContaining({ contactId: caller.contactId, channel: 'VOICE', wrapUp: expect.anything() }),
    ]);
    const onCase = await api(`/cases/${view.body.cases[0].ticket}`);
    expect(onCase.body.contacts.map((c: { contactId: string }) => c.contactId)).toEqual([caller.contactId]);
  }, 60_000);

  it('a WhatsApp conversation between the caller page and the agent, both ways; the contact joins the case', async () => {
    const agent = await availableAgent('supervisora');
    const citizen = await world.page();
    await citizen.goto(`${world.backEnd.url}/caller/`);
    await citizen.selectOption('#channel', 'whatsapp');
    await citizen.fill('#from', '+50760002345');
    await citizen.click('#place button');
    await citizen.locator('#lines li').first().waitFor();
    await citizen.fill('#say-text', 'agente');
    await citizen.press('#say-text', 'Enter');
    await agent.locator('#ring').waitFor();
    expect(await agent.textContent('#ring-what')).toBe('WhatsApp de +50760002345');
    await agent.click('#accept');
    await citizen.locator('#state', { hasText: 'Le atiende Marta Ríos' }).waitFor();
    await agent.locator('#citizen-h', { hasText: 'Luis' }).waitFor();

    await citizen.fill('#say-text', '¿Ya salió mi licencia?');
    await citizen.press('#say-text', 'Enter');
    await agent.locator('#messages', { hasText: '¿Ya salió mi licencia?' }).waitFor();
    await agent.fill('#chat-text', 'Déjeme revisar su caso.');
    await agent.press('#chat-text', 'Enter');
    await citizen.locator('#lines', { hasText: 'Déjeme revisar su caso.' }).waitFor();
    await agent.screenshot({ path: 'test-results/agent-chat.png' });
    await citizen.screenshot({ path: 'test-results/caller.png' });
    expect(await axeViolations(citizen, 'caller page, es')).toEqual([]);
    expect(await axeViolations(agent, 'panel on a chat, es')).toEqual([]);

    // The agent works Luis's open case during the conversation; he leaves; the wrap-up puts it on the case.
    const openTicket = await agent.locator('#open-cases li[data-ticket]').first().getAttribute('data-ticket');
    await agent.locator('#open-cases li[data-ticket] button').first().click();
    await agent.locator('#case-h').waitFor();
    await citizen.click('#hang-up');
    await citizen.locator('#state', { hasText: 'Usted terminó' }).waitFor();
    await agent.locator('#acw').waitFor();
    await agent.click('#lang');
    expect(await axeViolations(agent, 'after-contact work, en')).toEqual([]);
    await agent.fill('#acw-note', 'Asked about his licence; told him it is in progress.');
    await agent.click('#acw-save');
    await agent.locator('#desk-line', { hasText: 'Available' }).waitFor();
    await offline(agent);
    const onCase = await api(`/cases/${openTicket}`);
    expect(onCase.body.contacts).toEqual(
      expect.arrayContaining([expect.objectContaining({ channel: 'WHATSAPP' })]),
    );
  }, 60_000);

  it('rings no one who is on a break, and the ring has no accessibility violation in either language', async () => {
    const page = await availableAgent('agente');
    await page.selectOption('#desk-status', 'Break');
    await page.locator('#desk-line', { hasText: 'descanso' }).waitFor();
    const caller = await call('sms', '+50760003456', { says: ['agente'] });
    try {
      await caller.until((e) => e.type === 'queued');
      await new Promise((r) => setTimeout(r, 500));
      expect(await page.locator('#ring').isHidden()).toBe(true);
      await page.selectOption('#desk-status', 'Available');
      await page.locator('#ring').waitFor();
      expect(await axeViolations(page, 'ringing, es')).toEqual([]);
      await page.click('#lang');
      expect(await page.textContent('#ring-what')).toBe('SMS from +50760003456');
      expect(await axeViolations(page, 'ringing, en')).toEqual([]);
      await page.click('#reject');
      await page.locator('#ring').waitFor({ state: 'hidden' });
      await offline(page);
    } finally {
      caller.close();
    }
  }, 60_000);
});
