/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from 'playwright-core';
import { caseItem } from '../../shared/adapters/dynamodb/case-items';
import { DynamoCaseRepository } from '../../shared/adapters/dynamodb/case-repository';
import { formatTicket, parseTicket } from '../../shared/domain/ticket';
import { axeViolations } from '../support/axe';
import { pagesOnLocalBackEnd } from '../support/browser';
import { localApi } from '../support/local-api';

const api = (path: string, method = 'GET', body?: unknown, ifMatch?: string) =>
  localApi(world.backEnd)(path, method, body, ifMatch);

async function supervisor(): Promise<Page> {
  const page = await world.signedIn('/supervision/', 'supervisora');
  await page.locator('#filters').waitFor();
  return page;
}

async function citizen(givenNames: string, surnames: string, phone: string, document?: string) {
  const made = await api('/citizens', 'POST', {
    givenNames,
    surnames,
    phone,
    ...(document ? { document: { type: 'CEDULA', number: document } } : {}),
  });
  return made.body.citizen.id as string;
}

/** A case of the citizen, due `hoursAgo` hours ago. */
async function caseDue(citizenId: string, topicId: string, hoursAgo: number) {
  const opened = await api('/cases', 'POST', { citizenId, topicId, channel: 'VOICE' });
  const repository = new DynamoCaseRepository(world.backEnd.doc, world.backEnd.names);
  const stored = (await repository.byTicket(parseTicket(opened.body.ticket)))!;
  const dueAt = new Date(Date.now() - hoursAgo * 3600_000).toISOString();
  await world.backEnd.doc.send(
    new PutCommand({ TableName: world.backEnd.names.cases, Item: caseItem({ ...stored, dueAt }) }),
  );
  return opened.body.ticket as string;
}

const world = pagesOnLocalBackEnd('supervision page');

describe('the supervisors’ case page in Chromium', () => {
  it('filters the overdue, downloads them, reopens a closed case with a reason; merges duplicates, and says why a merge is refused', async () => {
    const ines = await citizen('Inés', 'Caballero', '6400-0001');
    const late = await caseDue(ines, 'payment-plan', 30);
    const onTime = await caseDue(ines, 'tax-clearance', -30);
    const closing = await citizen('Raúl', 'Sanjur', '6400-0002');
    const closed = (
      await api('/cases', 'POST', { citizenId: closing, topicId: 'payment-plan', channel: 'VOICE' })
    ).body.ticket as string;
    const read = await api(`/cases/${closed}`);
    await api(
      `/cases/${closed}/transitions`,
      'POST',
      { to: 'RESOLVED', reason: 'resuelto por teléfono' },
      read.etag!,
    );

    const page = await supervisor();
    await page.selectOption('#f-department', 'tax');
    await page.selectOption('#f-view', 'overdue');
    await page.click('#filters button[type="submit"]');
    await page.locator(`#case-rows tr[data-ticket="${late}"]`).waitFor();
    expect(await page.locator(`#case-rows tr[data-ticket="${onTime}"]`).count()).toBe(0);
    expect(await page.textContent(`#case-rows tr[data-ticket="${late}"]`)).toContain('vencido');

    // The file downloaded is the API's, byte for byte.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const file = readFileSync((await download.path())!, 'utf8');
    const fromApi = await api('/supervision/cases?department=tax&view=overdue&sort=due&format=csv');
    expect(file).toBe(fromApi.body.csv);
    expect(file).toContain(late);

    // A closed case, found by its ticket: reopened with a reason, which the history shows.
    await page.fill('#find-ticket', formatTicket(closed as never));
    await page.press('#find-ticket', 'Enter');
    await page.locator('#reopen').waitFor();
    await page.click('#reopen button[type="submit"]');
    await page.locator('#alert').waitFor();
    expect(await page.textContent('#alert')).toMatch(/reason|motivo/i);
    await page.fill('#reopen-reason', 'El ciudadano volvió a llamar: sigue sin resolver.');
    await page.click('#reopen button[type="submit"]');
    await page.locator('#audit', { hasText: 'El ciudadano volvió a llamar' }).waitFor();
    expect(await page.textContent('#case-facts')).toContain('Abierto');
    expect((await api(`/cases/${closed}`)).body.audit.at(-1)).toMatchObject({
      to: 'OPEN',
      reason: 'El ciudadano volvió a llamar: sigue sin resolver.',
    });

    // Two people with different documents: refused, with its reason; two records of one person: merged.
    await citizen('Ana', 'Gálvez Pino', '6400-0011', '8-400-11');
    await citizen('Ana', 'Gálvez Pino', '6400-0012', '8-400-12');
    await page.fill('#merge-text', 'Gálvez');
    await page.press('#merge-text', 'Enter');
    await page.locator('#merge').waitFor();
    await page.locator('#merge-survivor input').nth(0).check();
    await page.locator('#merge-duplicate input').nth(1).check();
    await page.fill('#merge-reason', 'Mismo nombre');
    await page.click('#merge button[type="submit"]');
    await page.locator('#alert').waitFor();
    expect(await page.textContent('#alert')).toMatch(/document/i);

    await citizen('Beto', 'Quirós Lay', '6400-0021', '8-400-21');
    await citizen('Beto', 'Quirós Lay', '6400-0022');
    await page.fill('#merge-text', 'Quirós');
    await page.press('#merge-text', 'Enter');
    // The new search's people, not the previous one's still on the page.
    await page.locator('#merge-survivor label', { hasText: '+50764000021' }).waitFor();
    await page.locator('#merge-survivor label', { hasText: '+50764000021' }).locator('input').check();
    await page.locator('#merge-duplicate label', { hasText: '+50764000022' }).locator('input').check();
    await page.fill('#merge-reason', 'Mostró su cédula: es la misma persona.');
    await page.click('#merge button[type="submit"]');
    await page.locator('#status', { hasText: 'Unidos' }).waitFor();
    const merged = await api(`/citizens?phone=${encodeURIComponent('6400-0022')}`);
    expect(merged.body.items[0].document?.number).toBe('840021');

    expect(await axeViolations(page, 'supervision, es')).toEqual([]);
    await page.click('#lang');
    await page.locator('#lists-h', { hasText: 'Cases by department' }).waitFor();
    expect(await axeViolations(page, 'supervision, en')).toEqual([]);
    await page.screenshot({ path: 'test-results/supervision.png', fullPage: true });
  }, 90_000);

  it('keeps out an agent: the page says so and the API refuses the lists', async () => {
    const page = await world.signedIn('/supervision/', 'agente');
    await page.locator('#login-error', { hasText: 'no supervisa' }).waitFor();
    expect(await page.locator('#supervision').isHidden()).toBe(true);
    expect(await page.evaluate(() => fetch('/api/supervision/cases').then((r) => r.status))).toBe(403);
  });
});
