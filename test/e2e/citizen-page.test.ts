/// <reference lib="dom" />
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { axeViolations } from '../support/axe';
import { pagesOnLocalBackEnd } from '../support/browser';
import { localApi } from '../support/local-api';

/** From Monday 7 December 2026, 09:00 in Panamá, on as the test runs: whatever day and hour it runs. */
const MONDAY_9AM = new Date('2026-12-07T14:00:00.000Z');
const started = Date.now();
const world = pagesOnLocalBackEnd(
  'citizen page',
  undefined,
  undefined,
  () => new Date(MONDAY_9AM.getTime() + Date.now() - started),
);
const api = (path: string, method = 'GET', body?: unknown) => localApi(world.backEnd)(path, method, body);
const PHONE = { width: 390, height: 844 };
const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
/** A Windows program, called a PDF. */
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from('PE\0\0')]);

/** The last message the outbox holds for a number whose id starts so (a code, a booking's confirmation). */
async function lastMessage(to: string, prefix: string): Promise<string | undefined> {
  const { items } = (await api('/outbox')).body as { items: { id: string; to: string; text: string }[] };
  return items.find((m) => m.to === to && m.id.startsWith(prefix))?.text;
}
async function codeFor(to: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const code = /\b(\d{6})\b/.exec((await lastMessage(to, 'code-')) ?? '')?.[1];
    if (code) return code;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no code was sent to ${to}`);
}

async function askCode(page: Page, phone: string) {
  await page.fill('#phone', phone);
  await page.check('input[value="WHATSAPP"]');
  await page.press('#phone', 'Enter');
  await page.locator('#code').waitFor();
}

/** A registered citizen signs in on a phone and asks for a new plate at the first time offered. */
async function askNewPlate(givenNames: string, surnames: string, phone: string, document: string) {
  const made = await api('/citizens', 'POST', {
    givenNames,
    surnames,
    phone,
    document: { type: 'CEDULA', number: document },
  });
  const page = await world.page('es-PA', PHONE);
  await page.goto(`${world.backEnd.url}/citizen/`);
  await askCode(page, phone);
  await page.fill('#code', await codeFor(phone));
  await page.press('#code', 'Enter');
  await page.locator('#home:not([hidden])').waitFor();
  await page.selectOption('#procedure', 'new-plate');
  await page.click('#slots-form button[type="submit"]');
  await page.locator('#slots input').first().waitFor();
  await page.click('#book-form button[type="submit"]');
  return { page, citizenId: made.body.citizen.id as string };
}

describe("the citizen's own page in Chromium, on a phone", () => {
  it('signs in with a code, shows the answered case, books an appointment that is confirmed by WhatsApp; es and en, no axe violations', async () => {
    const phone = '+50765009001';
    const made = await api('/citizens', 'POST', { givenNames: 'Lucía', surnames: 'Portal Prueba', phone });
    const ticket = (
      await api('/cases', 'POST', {
        citizenId: made.body.citizen.id,
        topicId: 'tax-clearance',
        channel: 'VOICE',
      })
    ).body.ticket as string;
    for (const step of [
      { to: 'PENDING_RESPONSE' },
      { to: 'PENDING_COMMUNICATION', answer: 'Su paz y salvo está listo para retirar.' },
    ]) {
      const read = await api(`/cases/${ticket}`);
      expect(
        (await localApi(world.backEnd)(`/cases/${ticket}/transitions`, 'POST', step, read.etag!)).status,
      ).toBe(200);
    }

    const page = await world.page('es-PA', PHONE);
    const opened = Date.now();
    await page.goto(`${world.backEnd.url}/citizen/`);
    await page.locator('#phone').waitFor();
    const firstView = Date.now() - opened;
    expect(firstView).toBeLessThan(1000);
    const script = await (await fetch(`${world.backEnd.url}/citizen/app.js`)).arrayBuffer();
    const gzipped = gzipSync(Buffer.from(script)).length;
    expect(gzipped).toBeLessThan(100 * 1024);
    expect(await axeViolations(page, 'sign-in (es)')).toEqual([]);

    await askCode(page, '6500-9001');
    expect(await page.textContent('#status')).toBe('Le enviamos un código por WhatsApp. Escríbalo abajo.');
    const code = await codeFor(phone);
    // A wrong code first: said in the citizen's words, and the field selected to type again.
    await page.fill('#code', code === '000000' ? '111111' : '000000');
    await page.press('#code', 'Enter');
    await page.locator('#error:not(:empty)').waitFor();
    expect(await page.textContent('#error')).toMatch(/^El código no es correcto o ya caducó/);
    await page.fill('#code', code);
    await page.press('#code', 'Enter');
    await page.locator('#home:not([hidden])').waitFor();
    expect(await page.textContent('#who')).toBe('Hola, Lucía. Ha entrado con el teléfono +50765009001.');
    const theCase = page.locator('#cases li').first();
    expect(await theCase.textContent()).toContain(`Paz y salvo municipal · Caso ${ticket}`);
    expect(await theCase.textContent()).toContain('Respuesta: Su paz y salvo está listo para retirar.');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('cases-h');
    expect(await axeViolations(page, 'home (es)')).toEqual([]);

    // A plate appointment: the procedure, the office, a time, by keyboard.
    await page.selectOption('#procedure', 'plate-renewal');
    await page.selectOption('#office', 'plate-centre');
    await page.click('#slots-form button[type="submit"]');
    await page.locator('#slots input').first().waitFor();
    await page.keyboard.press('ArrowDown');
    const chosen = await page.locator('input[name="slot"]:checked').getAttribute('value');
    await page.click('#book-form button[type="submit"]');
    await page.locator('#bookings li.card').waitFor();
    expect(await page.textContent('#status')).toMatch(
      /^Cita reservada: Revisado y placa, .+ \(código [2-9A-Z]{6}\)\. Le enviamos la confirmación\.$/,
    );
    const bookingCode = /código ([2-9A-Z]{6})/.exec((await page.textContent('#status'))!)![1]!;
    expect(await page.textContent('#bookings')).toContain(`Código de la cita: ${bookingCode}`);
    const staff = (await api(`/appointments/code/${bookingCode}`)).body;
    expect(staff).toMatchObject({
      status: 'booked',
      slot: { start: chosen },
      notify: { channel: 'WHATSAPP' },
    });
    // The confirmation reaches the phone, from the booking's change on the table's stream.
    let confirmation: string | undefined;
    for (let i = 0; i < 100 && !confirmation?.includes(bookingCode); i++) {
      confirmation = await lastMessage(phone, '');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(confirmation).toContain(bookingCode);
    await page.screenshot({ path: 'test-results/citizen-page-es.png', fullPage: true });

    await page.click('#lang');
    await page.locator('#cases-h', { hasText: 'Your requests' }).waitFor();
    await page.locator('#cases li', { hasText: 'We have an answer to your request.' }).waitFor();
    expect(await page.textContent('#bookings')).toContain(`Appointment code: ${bookingCode}`);
    expect(await axeViolations(page, 'home (en)')).toEqual([]);
    await page.screenshot({ path: 'test-results/citizen-page-en.png', fullPage: true });
    await page.click('#sign-out');
    await page.locator('#sign-in:not([hidden])').waitFor();
    expect(await page.textContent('#status')).toBe('You have signed out. You can sign in again at any time.');
  });

  it('locks the number after five wrong codes and says for how long', async () => {
    const page = await world.page('en-US', PHONE);
    await page.goto(`${world.backEnd.url}/citizen/`);
    await askCode(page, '+50765009002');
    const code = await codeFor('+50765009002');
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      await page.fill('#code', wrong);
      await page.press('#code', 'Enter');
      await page.locator('#error:not(:empty)').waitFor();
      if (i < 4) await page.evaluate(() => (document.querySelector('#error')!.textContent = ''));
    }
    expect(await page.textContent('#error')).toBe('Too many attempts. Try again in 15 minutes.');
    await page.fill('#code', code);
    await page.press('#code', 'Enter');
    await page.waitForTimeout(300);
    expect(await page.locator('#home').isHidden()).toBe(true);
  });

  it('books a new plate that needs a tax clearance, two documents and a fee: a file refused by its bytes, one rejected by an agent and sent again, the fee paid on the gateway, the booking confirmed and told', async () => {
    const phone = '+50765009003';
    const { page, citizenId } = await askNewPlate('Mateo', 'Placa Nueva', phone, '8-765-4321');
    await page.locator('#bookings .requirements').waitFor();
    // The tax office said yes (the fake agency, through the real adapter); the place is held for the rest.
    expect(world.backEnd.agency.requests('CEDULA#87654321')).toBe(1);
    const [booking] = (await api(`/citizens/${citizenId}/appointments`)).body.appointments;
    expect(booking).toMatchObject({ status: 'held', slot: { topicId: 'new-plate' } });
    expect(await page.textContent('#bookings .requirements')).toContain('Pendiente: documentos y pago');

    const sendFile = async (kind: string, name: string, mimeType: string, buffer: Buffer) => {
      await page.setInputFiles(`input[id$="-${kind}"]`, { name, mimeType, buffer });
      await page.click(`input[id$="-${kind}"] + button`);
    };
    // A program renamed .pdf: refused with a clear message, and nothing kept.
    await sendFile('id-card', 'cedula.pdf', 'application/pdf', EXE);
    await page.locator('#error', { hasText: 'no es un PDF, JPEG o PNG' }).waitFor();
    await sendFile('id-card', 'cedula.pdf', 'application/pdf', PDF);
    await page.locator('#status', { hasText: '«Cédula del dueño» enviado' }).waitFor();
    await sendFile('vehicle-title', 'factura.png', 'image/png', PNG);
    await page.locator('#status', { hasText: '«Factura o título del vehículo» enviado' }).waitFor();
    expect(await axeViolations(page, 'requirements (es)')).toEqual([]);

    // The agent reviews them in the panel: the invoice rejected, with the reason the citizen reads.
    const agent = await world.signedIn('/agent/', 'agente');
    await agent.locator('#search-text').waitFor();
    // The citizen's screen, as a call from their number pops it.
    const citizenScreen = async () => {
      await agent.goto(`${world.backEnd.url}/agent/?phone=${encodeURIComponent(phone)}`);
      await agent.locator('#citizen-h', { hasText: 'Mateo Placa Nueva' }).waitFor();
    };
    await citizenScreen();
    const review = async () => {
      const item = agent.locator(`#appointments li[data-booking="${booking.id}"]`);
      await item.locator('summary').click();
      return item;
    };
    let item = await review();
    // What the Treasury said, shown beside the booking form for the procedure.
    await agent.selectOption('#book-topic', 'new-plate');
    await agent.locator('#book-eligibility', { hasText: 'Paz y salvo municipal (Tesorería): sí.' }).waitFor();
    await item.locator('[data-document="vehicle-title"] input').waitFor();
    expect(await axeViolations(agent, 'agent panel, documents to review (es)')).toEqual([]);
    await item.screenshot({ path: 'test-results/agent-documents.png' });
    await item
      .locator('[data-document="vehicle-title"] input')
      .fill('La factura no se lee: envíe una foto nítida');
    await item.locator('[data-document="vehicle-title"] button', { hasText: 'Rechazar' }).click();
    await item.locator('[data-document="vehicle-title"]', { hasText: 'rechazado' }).waitFor();
    await page.reload();
    await page.locator('#bookings .reason', { hasText: 'La factura no se lee' }).waitFor();
    await sendFile('vehicle-title', 'factura.pdf', 'application/pdf', PDF);
    await page.locator('#status', { hasText: 'enviado' }).waitFor();
    await citizenScreen();
    item = await review();
    for (const kind of ['id-card', 'vehicle-title']) {
      await item.locator(`[data-document="${kind}"] button`, { hasText: 'Aceptar' }).click();
      await item.locator(`[data-document="${kind}"]`, { hasText: 'aceptado' }).waitFor();
    }
    expect((await api(`/appointments/${booking.id}`)).body.status).toBe('held');

    // The fee, on the gateway's page (nothing of the citizen in its address); back on the citizen's page, confirmed.
    await page.reload();
    const pay = page.locator('#bookings a.button');
    expect(await pay.getAttribute('href')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/pay\/co_[A-Za-z0-9_-]+$/);
    await pay.click();
    await page.locator('button.pay').click();
    await page.waitForURL(`${world.backEnd.url}/citizen/`);
    await page.locator('#bookings li', { hasText: 'Confirmada' }).waitFor();
    expect((await api(`/appointments/${booking.id}`)).body.status).toBe('booked');
    let confirmation: string | undefined;
    for (let i = 0; i < 100 && !confirmation?.includes(booking.code); i++) {
      confirmation = ((await api('/outbox')).body.items as { to: string; text: string }[]).find(
        (m) => m.to === phone && m.text.includes(booking.code),
      )?.text;
      if (!confirmation) await new Promise((r) => setTimeout(r, 100));
    }
    expect(confirmation).toContain(booking.code);
    await page.screenshot({ path: 'test-results/citizen-page-confirmed.png', fullPage: true });
  });

  it('books nothing on a guess when the agency does not answer: “will be verified”, said in the citizen’s words', async () => {
    const phone = '+50765009004';
    world.backEnd.agency.answer('CEDULA#87654000', 'slow');
    const { page, citizenId } = await askNewPlate('Inés', 'Agencia Lenta', phone, '8-765-4000');
    await page.locator('#error', { hasText: 'no pudimos comprobar sus datos con la entidad' }).waitFor();
    expect(await page.textContent('#error')).toBe(
      'No se reservó la cita: no pudimos comprobar sus datos con la entidad ahora. Se verificará; inténtelo de nuevo en unos minutos.',
    );
    expect((await api(`/citizens/${citizenId}/appointments`)).body.appointments).toEqual([]);
  });
});
