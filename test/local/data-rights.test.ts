import { loadConfig } from '../../shared/config/load';
import { parseCatalogue } from '../../shared/domain/catalogue-schema';
import { apiOnFreshTables, type ApiCall } from '../support/api';

const { deployment, catalogue, calendar } = loadConfig('config/city-hall');

/** Monday 7 December 2026, 09:00 in Panamá; the export's next run is the next morning. */
let now = new Date('2026-12-07T14:00:00.000Z');
const clock = { now: () => now };

let api: ApiCall;
beforeAll(async () => {
  ({ api } = await apiOnFreshTables(clock));
});

const register = async (givenNames: string, phone: string, document: string) =>
  (
    await api('/citizens', '[agent]', {
      method: 'POST',
      body: {
        givenNames,
        surnames: 'Derechos Prueba',
        phone,
        document: { type: 'CEDULA', number: document },
      },
    })
  ).body.citizen.id as string;
const request = async (citizenId: string, topicId: string) =>
  (await api('/cases', '[agent]', { method: 'POST', body: { citizenId, topicId, channel: 'EMAIL' } })).body;
const caseOf = async (ticket: string) => (await api(`/cases/${ticket}`, '[admin]')).body;

describe('data-protection rights as cases with a legal deadline', () => {
  it('keeps the rights off the lines, with the deployment’s business days as the deadline', async () => {
    const rights = catalogue.entries.filter((e) => e.dataRight);
    expect(rights.map((e) => e.dataRight).sort()).toEqual(['access', 'erasure', 'rectification']);
    expect(catalogue.onLines.some((e) => e.dataRight)).toBe(false);
    const citizenId = await register('Inés', '+50769990401', '8-401-1');
    const opened = await request(citizenId, 'data-access');
    const topic = catalogue.get('data-access')!;
    expect((await caseOf(opened.ticket)).case.dueAt).toBe(
      calendar.dueAfterBusinessDays(topic.department, now, topic.slaBusinessDays).toISOString(),
    );
    // A catalogue that gives a right twice, or to a procedure answered without a person, is refused.
    const raw = { entries: catalogue.entries.map((e) => ({ ...e })) };
    raw.entries.push({ ...catalogue.get('data-erasure')!, id: 'data-erasure-2' });
    expect(() => parseCatalogue(raw, deployment)).toThrow(/dataRight: a second entry for "erasure"/);
    const selfServed = {
      entries: catalogue.entries.map((e) => (e.dataRight ? { ...e, needsPerson: false } : e)),
    };
    expect(() => parseCatalogue(selfServed, deployment)).toThrow(/needsPerson: must be true/);
  });

  it('corrects names and document on request, resolves it, and sends the correction to the department that had the old data', async () => {
    const citizenId = await register('Marta', '+50769990402', '8-402-2');
    const other = await register('Otro', '+50769990403', '8-403-3');
    // Her tax case went to the tax office in this morning's export, with her name and document as they were.
    const taxCase = await request(citizenId, 'tax-clearance');
    const exported = await api('/backoffice/exports', '[supervisor]', {
      method: 'POST',
      body: { department: 'tax' },
    });
    expect(exported.body.rows.find((r: { ticket: string }) => r.ticket === taxCase.ticket)).toMatchObject({
      name: 'Marta Derechos Prueba',
      document: 'CEDULA 84022',
    });
    const asked = await request(citizenId, 'data-rectification');

    // Refusals name the field and change nothing.
    const wrongRight = await request(citizenId, 'data-access');
    const rectify = (body: object) =>
      api(`/citizens/${citizenId}/rectification`, '[admin]', { method: 'POST', body });
    expect(await rectify({ ticket: wrongRight.ticket, givenNames: 'Marta Elena' })).toMatchObject({
      status: 400,
      body: { field: 'ticket' },
    });
    expect(await rectify({ givenNames: 'Marta Elena' })).toMatchObject({
      status: 400,
      body: { field: 'reference' },
    });
    expect(await rectify({ ticket: asked.ticket, givenNames: 'Marta' })).toMatchObject({
      status: 400,
      body: { field: 'corrections' },
    });
    expect(
      await rectify({ ticket: asked.ticket, document: { type: 'CEDULA', number: '8-403-3' } }),
    ).toMatchObject({ status: 409, body: { code: 'IDENTITY_TAKEN' } });
    expect((await api(`/citizens/${other}`, '[admin]')).body.citizen.document.number).toBe('84033');

    // The correction: names and document, the request resolved, the tax office to be told.
    const done = await rectify({
      ticket: asked.ticket,
      givenNames: 'Marta Elena',
      document: { type: 'CEDULA', number: '8-402-20' },
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      fields: ['givenNames', 'document'],
      toldBy: [{ departmentId: 'tax', rows: 1 }],
    });
    const resolved = await caseOf(asked.ticket);
    expect(resolved.case.status).toBe('RESOLVED');
    expect(resolved.audit.at(-1)).toMatchObject({ to: 'RESOLVED', reason: asked.ticket });
    // The old document no longer finds her; the new one does.
    expect((await api('/citizens', '[agent]', { query: { document: '8-402-2' } })).body.items).toEqual([]);
    const found = (await api('/citizens', '[agent]', { query: { document: '8-402-20' } })).body.items;
    expect(found.map((c: { id: string }) => c.id)).toEqual([citizenId]);
    // A request answered is not answered again.
    expect(await rectify({ ticket: asked.ticket, surnames: 'Otra' })).toMatchObject({
      status: 400,
      body: { field: 'ticket' },
    });

    // The next morning's export carries the corrected data to the tax office, once.
    now = new Date('2026-12-08T14:00:00.000Z');
    const next = await api('/backoffice/exports', '[supervisor]', {
      method: 'POST',
      body: { department: 'tax' },
    });
    expect(next.body.rectified).toBe(1);
    expect(next.body.rows.find((r: { ticket: string }) => r.ticket === taxCase.ticket)).toEqual({
      ticket: taxCase.ticket,
      date: '2026-12-07',
      name: 'Marta Elena Derechos Prueba',
      document: 'CEDULA 840220',
      phone: '+50769990402',
      topic: catalogue.name('tax-clearance', 'es'),
      request: 'Rectificación de datos personales: nombres, documento',
    });
    const again = await api('/backoffice/exports', '[supervisor]', {
      method: 'POST',
      body: { department: 'tax' },
    });
    expect(again.body.rectified).toBe(0);
    expect(again.body.rows).toEqual(next.body.rows);
    // Her privacy log keeps the rectification: the reference and the fields, not the values.
    const log = (await api(`/citizens/${citizenId}/privacy-log`, '[admin]')).body.items;
    expect(log.at(-1)).toMatchObject({
      action: 'rectification',
      reason: `${asked.ticket}: givenNames, document`,
    });
    expect(JSON.stringify(log)).not.toMatch(/84022|Marta/);
  });

  it('resolves an access request with the export, and an erasure request with the erasure', async () => {
    now = new Date('2026-12-07T14:00:00.000Z');
    const citizenId = await register('Lía', '+50769990404', '8-404-4');
    const access = await request(citizenId, 'data-access');
    // The department's export leaves it out: no agency answers a data-protection request.
    const exported0 = await api('/backoffice/exports', '[supervisor]', {
      method: 'POST',
      body: { department: 'general-information' },
    });
    expect(exported0.status).toBe(200);
    expect(exported0.body.rows.map((r: { ticket: string }) => r.ticket)).not.toContain(access.ticket);
    expect((await caseOf(access.ticket)).case.status).toBe('OPEN');
    const exported = await api(`/citizens/${citizenId}/subject-access`, '[admin]', {
      method: 'POST',
      body: { reason: 'Solicitud de acceso', ticket: access.ticket },
    });
    expect(exported.status).toBe(200);
    expect((await caseOf(access.ticket)).case.status).toBe('RESOLVED');

    const erasure = await request(citizenId, 'data-erasure');
    const erased = await api(`/citizens/${citizenId}/erasure`, '[admin]', {
      method: 'POST',
      body: { ticket: erasure.ticket },
    });
    expect(erased.status).toBe(200);
    // Resolved, then kept blocked like every case of hers; read only with a reason.
    const kept = (await api(`/cases/${erasure.ticket}`, '[admin]', { query: { reason: 'control' } })).body;
    expect(kept.case).toMatchObject({ status: 'RESOLVED', blocked: true });
    // Asked again (a retry after a failure), the erasure finds its request resolved and changes nothing.
    const repeated = await api(`/citizens/${citizenId}/erasure`, '[admin]', {
      method: 'POST',
      body: { ticket: erasure.ticket },
    });
    expect(repeated.status).toBe(200);
    expect(repeated.body.rewritten).toBe(0);
  });
});
