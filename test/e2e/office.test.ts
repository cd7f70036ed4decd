/// <reference lib="dom" />
import { axeViolations } from '../support/axe';
import { pagesOnLocalBackEnd } from '../support/browser';
import { localApi } from '../support/local-api';

/**
 * From Monday 7 December 2026, 09:00 in Panamá, on as the test runs: the office's morning, whatever day and hour
 * the test runs.
 */
const MONDAY_9AM = new Date('2026-12-07T14:00:00.000Z');
const started = Date.now();
const world = pagesOnLocalBackEnd(
  'office page',
  undefined,
  undefined,
  () => new Date(MONDAY_9AM.getTime() + Date.now() - started),
);
const api = (path: string, method = 'GET', body?: unknown) => localApi(world.backEnd)(path, method, body);

async function booked(givenNames: string, phone: string, topicId: string, start: string, document?: string) {
  const made = await api('/citizens', 'POST', {
    givenNames,
    surnames: 'Prueba',
    phone,
    ...(document ? { document: { type: 'CEDULA', number: document } } : {}),
  });
  const booking = await api('/appointments', 'POST', {
    key: `office-page-${phone.replace(/\D/g, '')}`,
    citizenId: made.body.citizen.id,
    officeId: 'plate-centre',
    topicId,
    start,
  });
  expect(booking.status).toBe(201);
  return booking.body as { id: string; code: string };
}

describe('the office’s appointments page in Chromium', () => {
  it('receives citizens by code and by document, calls them to a desk, shows the call display and the day in figures', async () => {
    const ana = await booked('Ana', '6500-0001', 'plate-renewal', '2026-12-07T14:30:00.000Z');
    await booked('Beto', '6500-0002', 'lost-plate', '2026-12-07T14:15:00.000Z', '8-555-1');
    const page = await world.signedIn('/office/', 'agente');
    await page.locator('#figures [data-figure="booked"]').waitFor();
    expect(await page.textContent('#figures [data-figure="booked"]')).toBe('2');
    // A code not keyed: the page says what is missing and keeps the focus there.
    await page.click('#checkin button[type="submit"]');
    await page.locator('#alert', { hasText: 'Escriba el código' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('checkin-value');
    await page.fill('#checkin-value', ana.code.toLowerCase());
    await page.press('#checkin-value', 'Enter');
    await page.locator('#ticket', { hasText: 'Turno A-001' }).waitFor();
    await page.selectOption('#checkin-kind', 'document');
    await page.fill('#checkin-value', '8-555-1');
    await page.press('#checkin-value', 'Enter');
    await page.locator('#ticket', { hasText: 'Turno B-002' }).waitFor();
    await page.locator('#figures [data-figure="checkedIn"]', { hasText: '2' }).waitFor();
    // Beto's slot is earlier: called first, whoever arrived first.
    await page.fill('#desk', '3');
    await page.press('#desk', 'Enter');
    await page.locator('#called-now', { hasText: 'Turno B-002 a la ventanilla 3' }).waitFor();
    await page.locator('#called li', { hasText: 'B-002' }).waitFor();
    await page.click('#served');
    await page.locator('#status', { hasText: 'Turno B-002 atendido' }).waitFor();
    await page.locator('#figures [data-figure="served"]', { hasText: '1' }).waitFor();
    // No closing of days for an agent.
    expect(await page.locator('#closure-card').isHidden()).toBe(true);
    expect(await axeViolations(page, 'office, es')).toEqual([]);
    await page.click('#lang');
    await page.locator('#day-h', { hasText: 'The day in figures' }).waitFor();
    expect(await axeViolations(page, 'office, en')).toEqual([]);
    await page.screenshot({ path: 'test-results/office.png', fullPage: true });

    // The call display: the numbers called, large, nothing personal, refreshed as desks call.
    const display = await world.signedIn('/office/?display=plate-centre', 'agente');
    await display.locator('#called li', { hasText: 'B-002' }).waitFor();
    expect(await display.textContent('#called')).not.toMatch(/Beto|Ana|Prueba/);
    await page.fill('#desk', '4');
    await page.press('#desk', 'Enter');
    // The newest first, highlighted.
    await display.locator('#called li:first-child', { hasText: 'A-001' }).waitFor({ timeout: 15_000 });
    expect(await axeViolations(display, 'office display')).toEqual([]);
    await display.screenshot({ path: 'test-results/office-display.png' });
  }, 90_000);

  it('lets a supervisor close part of a day, naming what is wrong first', async () => {
    const carla = await booked('Carla', '6500-0003', 'plate-renewal', '2026-12-11T13:00:00.000Z');
    const page = await world.signedIn('/office/', 'supervisora');
    await page.locator('#closure-card').waitFor();
    await page.fill('#closure-date', '2026-12-11');
    await page.fill('#closure-from', '12:00');
    await page.fill('#closure-to', '07:00');
    await page.fill('#closure-reason', 'mantenimiento');
    await page.click('#closure button[type="submit"]');
    await page.locator('#alert', { hasText: 'must be after from' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('closure-to');
    await page.fill('#closure-from', '07:00');
    await page.fill('#closure-to', '12:00');
    await page.click('#closure button[type="submit"]');
    await page.locator('#status', { hasText: 'horarios cerrados; 1 citas canceladas' }).waitFor();
    expect((await api(`/appointments/${carla.id}`)).body.status).toBe('cancelled');
    expect(await axeViolations(page, 'office closure, es')).toEqual([]);
  }, 60_000);

  it('keeps out a back-office user', async () => {
    const page = await world.signedIn('/office/', 'tesoreria');
    await page.locator('#login-error', { hasText: 'no atiende citas' }).waitFor();
    expect(await page.locator('#office').isHidden()).toBe(true);
  }, 30_000);
});
