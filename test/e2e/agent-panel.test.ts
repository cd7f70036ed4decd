/// <reference lib="dom" />
import { axeViolations } from '../support/axe';
import type { Page } from 'playwright-core';
import { formatTicket } from '../../shared/domain/ticket';
import { pagesOnLocalBackEnd } from '../support/browser';
import { localApi } from '../support/local-api';
import { connectEvent } from '../support/connect';

/** The staff API as a script signed in as a supervisor: the data the agents find. */
const api = (path: string, method = 'GET', body?: unknown, ifMatch?: string) =>
  localApi(world.backEnd)(path, method, body, ifMatch);

/** The agent panel, signed in as the user. */
async function signedIn(username: string, language = 'es-PA'): Promise<Page> {
  const page = await world.signedIn('/agent/', username, undefined, language);
  await page.locator('#search-text').waitFor();
  return page;
}

let citizenId: string;
let ticket: string;

const world = pagesOnLocalBackEnd('agent panel', async () => {
  const registered = await api('/citizens', 'POST', {
    givenNames: 'Marisol',
    surnames: 'Bethancourt',
    phone: '6333-1111',
    document: { type: 'CEDULA', number: '8-333-1111' },
  });
  citizenId = registered.body.citizen.id;
  // By phone: with no SMS or WhatsApp contact, its answer waits for a person to tell it.
  ticket = (await api('/cases', 'POST', { citizenId, topicId: 'payment-plan', channel: 'VOICE' })).body
    .ticket;
});

describe('the agent panel in Chromium', () => {
  it("pops the caller's citizen from their number: name, document, open case with its ticket, status and channels", async () => {
    const page = await signedIn('agente');
    await page.goto(`${world.backEnd.url}/agent/?phone=${encodeURIComponent('+50763331111')}`);
    await page.locator('#citizen-h').waitFor();
    expect(await page.textContent('#citizen-h')).toBe('Ciudadano: Marisol Bethancourt');
    expect(await page.textContent('#identities')).toContain('CEDULA: 83331111');
    expect(await page.textContent('#identities')).toContain('Teléfono: +50763331111');
    const open = page.locator(`#open-cases li[data-ticket="${ticket}"]`);
    expect(await open.textContent()).toContain(formatTicket(ticket as never));
    expect(await open.textContent()).toContain('Arreglo de pago');
    expect(await open.textContent()).toContain('Abierto');
    await page.screenshot({ path: 'test-results/agent-pop.png', fullPage: true });
  });

  it('flags a repeat contact with its reason, and shows the contacts on every channel', async () => {
    // A caller of their own (their case is never answered here, so nothing texts them meanwhile).
    const phone = '+50763332222';
    const calls = [];
    for (const fixture of ['voice-inbound-docs', 'chat-sms', 'chat-whatsapp'] as const)
      calls.push(
        await world.backEnd.handlers.createCase(
          connectEvent(fixture, { phone, parameters: { topic: 'lost-plate' } }),
        ),
      );
    expect(calls.map((c) => (c as { result: string }).result)).toEqual(['created', 'appended', 'appended']);
    const repeated = (calls[0] as { ticket: string }).ticket;
    const page = await signedIn('agente');
    await page.goto(`${world.backEnd.url}/agent/?phone=${encodeURIComponent(phone)}`);
    await page.locator('#repeat').waitFor();
    expect(await page.textContent('#repeat')).toBe(
      `Contacto repetido: 3 contactos en 7 días sobre el caso ${formatTicket(repeated as never)}, que sigue abierto.`,
    );
    const timeline = await page.textContent('#timeline');
    for (const channel of ['Llamada', 'SMS', 'WhatsApp']) expect(timeline).toContain(channel);
    // A citizen whose contacts come back to no open case is not flagged.
    await page.goto(`${world.backEnd.url}/agent/?phone=${encodeURIComponent('+50763331111')}`);
    await page.locator('#citizen-h', { hasText: 'Marisol' }).waitFor();
    expect(await page.locator('#repeat').isHidden()).toBe(true);
  });

  it('checks a ticket as it is typed, and goes to the search box with the / key', async () => {
    const page = await signedIn('agente');
    await page.locator('#main').focus();
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search-text');
    await page.keyboard.type(ticket.slice(0, 9));
    expect(await page.textContent('#search-hint')).toBe('Falta 1 dígito.');
    const wrong = `${ticket.slice(0, 9)}${(Number(ticket[9]) + 1) % 10}`;
    await page.fill('#search-text', wrong);
    expect(await page.textContent('#search-hint')).toContain('Dígito de control incorrecto');
    await page.fill('#search-text', formatTicket(ticket as never));
    expect(await page.textContent('#search-hint')).toBe('Ticket válido.');
    await page.press('#search-text', 'Enter');
    await page.locator('#case-h').waitFor();
    expect(await page.textContent('#case-h')).toBe(`Caso ${formatTicket(ticket as never)}`);
  });

  it('keeps a note and records an answer, moving the case only along the moves its status allows', async () => {
    const page = await signedIn('agente');
    await page.fill('#search-text', ticket);
    await page.press('#search-text', 'Enter');
    await page.locator('#case-h').waitFor();
    expect(await page.locator('#moves button').evaluateAll((b) => b.map((x) => x.dataset.move))).toEqual([
      'PENDING_RESPONSE',
      'RESOLVED',
      'CANCELLED',
    ]);
    await page.fill('#note-text', 'Llamó para preguntar por su arreglo.');
    await page.click('#note-form button');
    await page.locator('#notes li', { hasText: 'Llamó para preguntar' }).waitFor();
    await page.click('[data-move="PENDING_RESPONSE"]');
    await page.locator('[data-move="PENDING_COMMUNICATION"]').waitFor();
    await page.fill('#move-answer', 'Su arreglo de pago fue aprobado.');
    await page.click('[data-move="PENDING_COMMUNICATION"]');
    await page.locator('[data-fact="answer"]', { hasText: 'aprobado' }).waitFor();
    expect(await page.textContent('[data-fact="status"]')).toBe('Respuesta lista para comunicar');
    const stored = await api(`/cases/${ticket}`);
    expect(stored.body.case).toMatchObject({
      status: 'PENDING_COMMUNICATION',
      answer: 'Su arreglo de pago fue aprobado.',
    });
    expect(stored.body.notes.map((n: { text: string }) => n.text)).toEqual([
      'Llamó para preguntar por su arreglo.',
    ]);
    // Told to the caller on the line: the agent marks it communicated.
    expect(await page.textContent('[data-move="COMMUNICATED"]')).toBe('Ya se lo dije al ciudadano');
    await page.click('[data-move="COMMUNICATED"]');
    await page.locator('[data-fact="status"]', { hasText: 'Comunicado' }).waitFor();
    expect((await api(`/cases/${ticket}`)).body.case.status).toBe('COMMUNICATED');
  });

  it("shows a change someone else made first as a conflict, keeping the agent's text", async () => {
    const made = await api('/cases', 'POST', { citizenId, topicId: 'tax-clearance', channel: 'VOICE' });
    const other = made.body.ticket as string;
    const [first, second] = [await signedIn('agente'), await signedIn('supervisora')];
    for (const page of [first, second]) {
      await page.fill('#search-text', other);
      await page.press('#search-text', 'Enter');
      await page.locator('[data-move="PENDING_RESPONSE"]').waitFor();
    }
    await first.click('[data-move="PENDING_RESPONSE"]');
    await first.locator('[data-move="PENDING_COMMUNICATION"]').waitFor();
    await second.fill('#move-reason', 'El ciudadano ya no lo necesita');
    await second.click('[data-move="CANCELLED"]');
    await second.locator('#alert').waitFor();
    expect(await second.textContent('#alert')).toContain('Otra persona cambió este caso');
    expect(await second.inputValue('#move-reason')).toBe('El ciudadano ya no lo necesita');
    // The page now shows the case as it is: the other agent's move won, and only one did.
    expect(await second.textContent('[data-fact="status"]')).toBe('Esperando respuesta de la oficina');
    const audit = (await api(`/cases/${other}`)).body.audit.map((a: { to: string }) => a.to);
    expect(audit).toEqual(['OPEN', 'PENDING_RESPONSE']);
  });

  it('offers reopening to a supervisor only, and the API refuses it to an agent', async () => {
    const made = await api('/cases', 'POST', { citizenId, topicId: 'property-tax', channel: 'VOICE' });
    const closed = made.body.ticket as string;
    const read = await api(`/cases/${closed}`);
    await api(`/cases/${closed}/transitions`, 'POST', { to: 'CANCELLED', reason: 'duplicado' }, read.etag!);
    const agent = await signedIn('agente');
    await agent.fill('#search-text', closed);
    await agent.press('#search-text', 'Enter');
    await agent.locator('#case-h').waitFor();
    expect(await agent.locator('#moves button').count()).toBe(0);
    const refused = await agent.evaluate(async (t) => {
      const res = await fetch(`/api/cases/${t}/transitions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'if-match': '"2"' },
        body: JSON.stringify({ to: 'OPEN', reason: 'quiero' }),
      });
      return res.status;
    }, closed);
    expect(refused).toBe(403);
    const supervisor = await signedIn('supervisora');
    await supervisor.fill('#search-text', closed);
    await supervisor.press('#search-text', 'Enter');
    await supervisor.locator('[data-move="OPEN"]').waitFor();
    expect(await supervisor.textContent('[data-move="OPEN"]')).toBe('Reabrir (supervisión)');
  });

  it('keeps out a back-office user, who does not work with citizens', async () => {
    const page = await world.signedIn('/agent/', 'tesoreria');
    await page.locator('#login-error', { hasText: 'no trabaja con ciudadanos' }).waitFor();
    expect(await page.locator('#panel').isHidden()).toBe(true);
  });

  it('registers an unknown caller from the pop, and the case it opens lands on them', async () => {
    const page = await signedIn('agente');
    await page.goto(`${world.backEnd.url}/agent/?phone=${encodeURIComponent('6333-9999')}`);
    await page.locator('#register-form').waitFor();
    expect(await page.inputValue('#reg-phone')).toBe('6333-9999');
    await page.fill('#reg-given', 'Tomás');
    await page.fill('#reg-surnames', 'Rentería');
    await page.click('#register-form button');
    await page.locator('#citizen-h', { hasText: 'Tomás Rentería' }).waitFor();
    await page.selectOption('#open-topic', 'birth-certificate');
    await page.click('#open-form button');
    await page.locator('#case-h').waitFor();
    const found = await api(`/citizens?phone=${encodeURIComponent('6333-9999')}`);
    const id = found.body.items[0].id;
    const view = await api(`/citizens/${id}`);
    expect(view.body.cases.map((c: { topicId: string }) => c.topicId)).toEqual(['birth-certificate']);
  });

  it("books an appointment for the citizen, moves it and cancels it; the citizen's bookings show each change", async () => {
    const made = await api('/citizens', 'POST', {
      givenNames: 'Abdiel',
      surnames: 'Citas',
      phone: '6333-4444',
    });
    const id = made.body.citizen.id as string;
    // An open case on the procedure: the booking will be on it.
    await api('/cases', 'POST', { citizenId: id, topicId: 'lost-plate', channel: 'VOICE' });
    const page = await signedIn('agente');
    await page.goto(`${world.backEnd.url}/agent/?phone=${encodeURIComponent('+50763334444')}`);
    await page.locator('#citizen-h', { hasText: 'Abdiel Citas' }).waitFor();
    await page.locator('#appointments li', { hasText: 'Sin citas' }).waitFor();
    await page.selectOption('#book-topic', 'lost-plate');
    // The list of the procedure first shown (another, with other times) may be in already: wait for this one's.
    await page.locator('#book-slot:not([aria-busy])').waitFor({ state: 'attached' });
    await page.locator('#book-slot option[value$="Z"]').nth(3).waitFor({ state: 'attached' });
    // The third and fourth times offered: neither begins while the test runs.
    const [, , first, second] = await page.$$eval('#book-slot option', (os) =>
      os.map((o) => (o as HTMLOptionElement).value),
    );
    await page.selectOption('#book-slot', first!);
    await page.selectOption('#book-notify', 'WHATSAPP');
    await page.click('#book-submit');
    await page.locator('#status', { hasText: 'Cita reservada: código' }).waitFor();
    const [booking] = (await api(`/citizens/${id}/appointments`)).body.appointments;
    expect(booking).toMatchObject({
      status: 'booked',
      slot: { start: first },
      notify: { channel: 'WHATSAPP' },
    });
    await page.locator('#appointments li', { hasText: booking.code }).waitFor();
    // The case shows it too.
    await page.click('#open-cases li button');
    await page.locator('#case-appointments li', { hasText: booking.code }).waitFor();
    await page.click('#back');
    await page.locator('#citizen-h', { hasText: 'Abdiel Citas' }).waitFor();
    // Moved to the second time offered: the form says which booking it changes.
    await page.click(`#appointments li[data-booking="${booking.id}"] button:has-text("Cambiar")`);
    await page.locator('#book-mode', { hasText: booking.code }).waitFor();
    await page.locator('#book-slot:not([aria-busy])').waitFor({ state: 'attached' });
    await page.locator(`#book-slot option[value="${second}"]`).waitFor({ state: 'attached' });
    await page.selectOption('#book-slot', second!);
    await page.click('#book-submit');
    await page.locator('#status', { hasText: `Cita ${booking.code} movida` }).waitFor();
    expect((await api(`/appointments/${booking.id}`)).body.slot.start).toBe(second);
    expect(await axeViolations(page, 'appointments, es')).toEqual([]);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.click(`#appointments li[data-booking="${booking.id}"] button:has-text("Cancelar cita")`);
    await page.locator('#status', { hasText: `Cita ${booking.code} cancelada` }).waitFor();
    await page.locator('#appointments li', { hasText: 'cancelada' }).waitFor();
    const history = (await api(`/appointments/${booking.id}`)).body.history;
    expect(history.map((e: { status: string }) => e.status)).toEqual(['booked', 'booked', 'cancelled']);
    await page.screenshot({ path: 'test-results/agent-appointments.png', fullPage: true });
  });

  it("says a case is blocked when its citizen's data was erased, in the agent's language", async () => {
    const erased = await api('/citizens', 'POST', {
      givenNames: 'Iris',
      surnames: 'Cedeño',
      phone: '6333-9494',
    });
    const id = erased.body.citizen.id as string;
    const kept = (await api('/cases', 'POST', { citizenId: id, topicId: 'complaint', channel: 'VOICE' })).body
      .ticket as string;
    const admin = await world.signedIn('/admin/', 'admin');
    const status = await admin.evaluate(
      async (citizen) =>
        (
          await fetch(`/api/citizens/${citizen}/erasure`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ reference: 'SOL-2026/0099' }),
          })
        ).status,
      id,
    );
    expect(status).toBe(200);
    for (const [language, said] of [
      ['es-PA', 'Los datos de esta persona se suprimieron a su pedido.'],
      ['en-US', "This person's data was erased at their request."],
    ] as const) {
      const agent = await signedIn('agente', language);
      await agent.fill('#search-text', kept);
      await agent.press('#search-text', 'Enter');
      await agent.locator('#alert', { hasText: said }).waitFor();
      expect(await agent.locator('#case-h').isVisible()).toBe(false);
      expect(await axeViolations(agent, `agent panel, blocked case, ${language}`)).toEqual([]);
      await agent.screenshot({ path: `test-results/agent-blocked-${language}.png` });
    }
  });

  it('has no accessibility violation, in Spanish and in English', async () => {
    const page = await signedIn('agente');
    await page.goto(`${world.backEnd.url}/agent/?phone=${encodeURIComponent('+50763331111')}`);
    await page.locator('#citizen-h').waitFor();
    const check = async (view: string) => expect(await axeViolations(page, view)).toEqual([]);
    await check('citizen, es');
    await page.click('#lang');
    expect(await page.textContent('#citizen-h')).toBe('Citizen: Marisol Bethancourt');
    await check('citizen, en');
    await page.click('#open-cases li button');
    await page.locator('#case-h').waitFor();
    await check('case, en');
    await page.screenshot({ path: 'test-results/agent-case.png', fullPage: true });
  });
});
