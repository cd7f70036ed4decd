import { createHash } from 'node:crypto';
import type { SubjectExport } from '../../shared/domain/subject-access';
import { apiOnFreshTables, type ApiCall } from '../support/api';
import { DOCUMENT, EMAIL, OLD_EMAIL, PHONE, seedCitizen } from '../support/citizen-seed';
import { scanAll } from '../support/consistency';
import { freshTables } from '../support/dynamo';

/** Monday 7 December 2026, 09:00 in Panamá. */
const clock = { now: () => new Date('2026-12-07T14:00:00.000Z') };

let api: ApiCall;
let tables: Awaited<ReturnType<typeof freshTables>>;

beforeAll(async () => {
  ({ tables, api } = await apiOnFreshTables(clock));
});

describe('subject access', () => {
  it("an administrator's export holds every item a scan of the tables finds about the citizen, and is logged", async () => {
    const seeded = await seedCitizen(tables, api, clock);
    const asked = await api(`/citizens/${seeded.citizenId}/subject-access`, '[admin]', {
      method: 'POST',
      user: 'admin-1',
      body: { reason: 'Solicitud de acceso 2026-118' },
    });
    expect(asked.status).toBe(200);
    const exported = asked.body as SubjectExport;
    const keys = new Set(exported.records.map((r) => `${r.store}|${r.key.pk}|${r.key.sk}`));

    // What a scan finds about the citizen: any item that names them, their numbers, their cases, contacts
    // or booking — or their number's digest (the consent).
    const needles = [
      seeded.citizenId,
      seeded.duplicateId,
      ...seeded.tickets,
      ...seeded.contactIds,
      seeded.booking.id,
      seeded.booking.code,
      PHONE,
      EMAIL,
      OLD_EMAIL,
      DOCUMENT,
      createHash('sha256').update(PHONE).digest('hex'),
    ];
    const found: string[] = [];
    for (const store of ['citizens', 'cases'] as const)
      for (const item of await scanAll(tables.doc, tables.names[store])) {
        const text = JSON.stringify(item);
        if (needles.some((n) => text.includes(n))) found.push(`${store}|${item.pk}|${item.sk}`);
      }
    expect(found.length).toBeGreaterThan(20);
    // (The export's own entry in the privacy log is written once the records are read.)
    const own = `cases|PRIVACY#${seeded.citizenId}|${exported.producedAt}#`;
    expect(found.filter((k) => !keys.has(k) && !k.startsWith(own))).toEqual([]);
    // And nothing in the export that the tables do not hold.
    expect([...keys].filter((k) => !found.includes(k) && !k.startsWith('cases|PRIVACY#'))).toEqual([]);
    // Every kind the seed made is there.
    expect(exported.counts).toMatchObject({
      profile: 2,
      merge: 1,
      case: 3,
      note: 1,
      booking: 1,
      consent: 1,
      // The answer and the booking's confirmation (the link request left with the export first).
      message: 2,
      verification: 1,
      // The export's record holding her row, and its marker.
      batch: 2,
    });
    // The metrics, which outlive the details, hold none of it.
    const metrics = JSON.stringify(await scanAll(tables.doc, tables.names.metrics));
    for (const personal of [PHONE, EMAIL, OLD_EMAIL, DOCUMENT, 'Pitti'])
      expect(metrics).not.toContain(personal);

    // Logged before it was handed over: who, when, why, how many — and listed for administrators.
    const log = await api(`/citizens/${seeded.citizenId}/privacy-log`, '[admin]');
    expect(log.body.items).toEqual([
      expect.objectContaining({
        action: 'subject-access',
        actor: { id: 'admin-1', role: 'admin' },
        reason: 'Solicitud de acceso 2026-118',
        records: exported.records.length,
        at: clock.now().toISOString(),
      }),
    ]);
  });

  it('hands the same records over as a document a person can read, in either language', async () => {
    const citizenId = (
      await api('/citizens', '[agent]', {
        method: 'POST',
        body: { givenNames: 'Ana <b>', surnames: 'Ríos', phone: '+50769990202' },
      })
    ).body.citizen.id as string;
    const asked = await api(`/citizens/${citizenId}/subject-access`, '[admin]', {
      method: 'POST',
      query: { format: 'html', lang: 'en' },
      body: { reason: 'Request 7' },
    });
    expect(asked.status).toBe(200);
    expect(asked.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(asked.headers['content-disposition']).toBe(
      `attachment; filename="subject-access-${citizenId}.html"`,
    );
    const html = asked.text;
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Personal data held by the administration');
    expect(html).toContain('+50769990202');
    expect(html).toContain('Ana &lt;b&gt;');
    expect(html).not.toContain('Ana <b>');
    const es = await api(`/citizens/${citizenId}/subject-access`, '[admin]', {
      method: 'POST',
      query: { format: 'html' },
      body: { reason: 'Solicitud 8' },
    });
    expect(es.text).toContain('Datos personales que conserva la administración');
  });

  it('is for administrators only, asks for a reason, and says when there is no such citizen', async () => {
    const refused = await api('/citizens/x/subject-access', '[agent]', {
      method: 'POST',
      body: { reason: 'x' },
    });
    expect(refused.status).toBe(403);
    const noReason = await api('/citizens/x/subject-access', '[admin]', { method: 'POST', body: {} });
    expect(noReason.status).toBe(400);
    expect(noReason.body).toMatchObject({ code: 'INVALID_INPUT', field: 'reason' });
    const unknown = await api('/citizens/nobody/subject-access', '[admin]', {
      method: 'POST',
      body: { reason: 'Solicitud 9' },
    });
    expect(unknown.status).toBe(404);
  });
});
