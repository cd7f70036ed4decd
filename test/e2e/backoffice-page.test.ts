/// <reference lib="dom" />
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { DynamoBackOfficeStore } from '../../shared/adapters/dynamodb/backoffice-store';
import { exportCsv, runExport } from '../../shared/domain/backoffice';
import { axeViolations } from '../support/axe';
import { pagesOnLocalBackEnd } from '../support/browser';
import { localApi } from '../support/local-api';

const api = (path: string, method = 'GET', body?: unknown) => localApi(world.backEnd)(path, method, body);

async function clerk(): Promise<Page> {
  const page = await world.signedIn('/backoffice/', 'tesoreria');
  await page.locator('#waiting').waitFor();
  return page;
}

async function openCaseFor(surname: string, phone: string, topicId: string) {
  const made = await api('/citizens', 'POST', { givenNames: 'Oficina', surnames: surname, phone });
  return (await api('/cases', 'POST', { citizenId: made.body.citizen.id, topicId, channel: 'VOICE' })).body
    .ticket as string;
}

/** A minimal .xlsx workbook (one sheet; numbers as numbers, text as shared strings), as Excel writes one. */
function xlsx(rows: readonly (readonly (string | number)[])[]): Uint8Array {
  const strings: string[] = [];
  const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const cell = (v: string | number, ref: string) =>
    typeof v === 'number'
      ? `<c r="${ref}"><v>${v}</v></c>`
      : `<c r="${ref}" t="s"><v>${strings.push(v) - 1}</v></c>`;
  const sheet = rows
    .map((r, i) => `<row r="${i + 1}">${r.map((v, j) => cell(v, `${'AB'[j]}${i + 1}`)).join('')}</row>`)
    .join('');
  const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  return zipSync({
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    ),
    'xl/workbook.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${ns}" xmlns:r="${rel}"><sheets><sheet name="Respuestas" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
    'xl/worksheets/sheet1.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${ns}"><sheetData>${sheet}</sheetData></worksheet>`,
    ),
    'xl/sharedStrings.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${ns}">${strings.map((t) => `<si><t>${esc(t)}</t></si>`).join('')}</sst>`,
    ),
  });
}

const world = pagesOnLocalBackEnd('back-office page');

describe('the back office page in Chromium', () => {
  it('exports and downloads the batch as the command line writes it; checks a Windows-1252 semicolon file, applies exactly its good rows, and changes nothing the second time', async () => {
    const first = await openCaseFor('Uno', '6500-0001', 'payment-plan');
    const second = await openCaseFor('Dos', '6500-0002', 'tax-clearance');
    const unanswered = await openCaseFor('Tres', '6500-0003', 'payment-plan');
    const vehicles = await openCaseFor('Cuatro', '6500-0004', 'vehicle-transfer');

    const page = await clerk();
    // Only the clerk's own department, on the page and in the API.
    expect(await page.locator('#department option').allTextContents()).toEqual(['Tesorería e impuestos']);
    expect(await page.textContent('#waiting')).toBe('3 casos esperan a ser enviados.');
    expect(
      await page.evaluate(() => fetch('/api/backoffice/batches?department=vehicles').then((r) => r.status)),
    ).toBe(403);
    await page.click('#export');
    await page.locator('#batches li[data-batch]').waitFor();
    // The export moves the three to the agency; the file below leaves one of them unanswered.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#batches li button')]);
    const downloaded = readFileSync((await download.path())!, 'utf8');
    // The command line's file for the same batch (it continues the day's batch and writes it whole).
    const cli = await runExport(
      new DynamoBackOfficeStore(world.backEnd.doc, world.backEnd.names),
      {
        catalogue: world.backEnd.config.catalogue,
        now: () => new Date(),
        localDate: (at) => world.backEnd.config.calendar.local(at).date,
      },
      'tax',
    );
    expect(downloaded).toBe(exportCsv(cli.rows));
    expect(downloaded).toContain(first);

    // The agency's file, saved by a Spanish Excel: semicolons, Windows-1252.
    const lines = [
      'ticket;respuesta',
      `${first};Información: su plan de pagos fue aprobado.`,
      `${second};Trámite listo; puede retirarlo.`,
      `${unanswered};`,
      '1234567890;Ticket mal escrito',
      `${vehicles};No es de esta oficina`,
    ];
    const dir = mkdtempSync(join(tmpdir(), 'answers-'));
    const file = join(dir, 'respuestas.csv');
    writeFileSync(file, Buffer.from(`${lines.join('\r\n')}\r\n`, 'latin1'));
    await page.setInputFiles('#file', file);
    await page.click('#upload button[type="submit"]');
    await page.locator('#dry').waitFor();
    expect(await page.textContent('#encoding')).toContain('Windows-1252');
    expect(await page.textContent('#dry-summary')).toBe(
      '5 filas: 2 se aplicarán, 1 sin cambios, 2 con problemas.',
    );
    expect(await page.textContent('#dry-rows tr[data-line="4"]')).toContain('no answer yet');
    await page.check('#only-bad');
    expect(await page.locator('#dry-rows tr').count()).toBe(2);
    expect(await axeViolations(page, 'back office, check, es')).toEqual([]);
    await page.screenshot({ path: 'test-results/backoffice.png', fullPage: true });
    await page.click('#apply');
    await page.locator('#done').waitFor();
    expect(await page.textContent('#done-summary')).toBe('2 aplicadas, 1 sin cambios, 2 con problemas.');
    const answered = await api(`/cases/${first}`);
    expect(answered.body.case).toMatchObject({
      status: 'PENDING_COMMUNICATION',
      answer: 'Información: su plan de pagos fue aprobado.',
    });
    expect((await api(`/cases/${unanswered}`)).body.case.status).toBe('PENDING_RESPONSE');
    expect((await api(`/cases/${vehicles}`)).body.case.status).toBe('OPEN');
    await page.locator('#history li[data-file]').waitFor();
    expect(await page.textContent('#history')).toContain('respuestas.csv');

    // The same file again: recognised, nothing to apply, nothing changes.
    await page.click('#upload button[type="submit"]');
    await page.locator('#dry-summary', { hasText: '0 se aplicarán' }).waitFor();
    await page.click('#apply');
    await page.locator('#alert', { hasText: 'No hay filas buenas' }).waitFor();
    expect((await api(`/cases/${first}`)).body.case.version).toBe(answered.body.case.version);

    // An Excel workbook as the agency saves it: the ticket typed as a number, the answer a shared string.
    const workbook = join(dir, 'respuestas.xlsx');
    writeFileSync(
      workbook,
      xlsx([
        ['ticket', 'respuesta'],
        [Number(unanswered), 'Revisión completa: puede pasar a retirar.'],
      ]),
    );
    await page.setInputFiles('#file', workbook);
    await page.click('#upload button[type="submit"]');
    await page.locator('#dry-summary', { hasText: '1 se aplicarán' }).waitFor();
    expect(await page.textContent('#encoding')).toContain('Excel');
    await page.click('#apply');
    await page.locator('#done-summary', { hasText: '1 aplicadas' }).waitFor();
    expect((await api(`/cases/${unanswered}`)).body.case).toMatchObject({
      status: 'PENDING_COMMUNICATION',
      answer: 'Revisión completa: puede pasar a retirar.',
    });
    await page.click('#lang');
    expect(await axeViolations(page, 'back office, en')).toEqual([]);
  }, 90_000);
});
