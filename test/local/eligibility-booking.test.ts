import { startFakeAgency } from '../../local/fake-agency';
import { AgencyChecks } from '../../shared/adapters/agency/agency-checks';
import { loadConfig } from '../../shared/config/load';
import { apiCaller, loadApiHandler, type ApiCall } from '../support/api';
import { citizenApiOn } from '../support/citizen-api';
import { freshTables } from '../support/dynamo';

const { deployment } = loadConfig('config/city-hall');
/** Monday 7 December 2026, 09:00 in Panamá. */
const now = new Date('2026-12-07T14:00:00.000Z');
const clock = { now: () => now };

let agency: Awaited<ReturnType<typeof startFakeAgency>>;
let api: ApiCall;
let citizen: ReturnType<typeof citizenApiOn>;
beforeAll(async () => {
  agency = await startFakeAgency(
    { 'CEDULA#87011': 'yes', 'CEDULA#87022': 'no', 'CEDULA#87033': 'slow', 'CEDULA#87044': 'down' },
    { slowMs: 3000 },
  );
  // The deployment's check, at the fake agency, with tighter bounds so the test is quick.
  const settings = deployment.agencyChecks['tax-clearance']!;
  const eligibility = new AgencyChecks(
    { 'tax-clearance': { ...settings, timeoutMs: 300, retries: 1, backoffMs: 50 } },
    { endpoint: agency.url, now: clock.now },
  );
  const tables = await freshTables();
  api = apiCaller(await loadApiHandler(tables.names, [], undefined, clock, eligibility));
  citizen = citizenApiOn(tables, clock, { eligibility });
});
afterAll(() => agency.stop());

const register = async (givenNames: string, phone: string, document?: string) =>
  (
    await api('/citizens', '[agent]', {
      method: 'POST',
      body: {
        givenNames,
        surnames: 'Agencia Prueba',
        phone,
        ...(document ? { document: { type: 'CEDULA', number: document } } : {}),
      },
    })
  ).body.citizen.id as string;
async function signedIn(phone: string): Promise<string> {
  await citizen.call('/citizen/code', { method: 'POST', body: { phone, channel: 'SMS' } });
  const code = (await citizen.lastCode(phone))!;
  return (await citizen.call('/citizen/session', { method: 'POST', body: { phone, code } })).body.token;
}
async function bookNewPlate(token: string, key: string) {
  const { slots } = (
    await citizen.call('/citizen/slots', { token, query: { office: 'plate-centre', topic: 'new-plate' } })
  ).body;
  // Its documents and fee are due a day before the visit: a time two days ahead.
  const later = slots.find((s: { start: string }) => Date.parse(s.start) > now.getTime() + 48 * 3_600_000);
  return citizen.call('/citizen/bookings', {
    method: 'POST',
    token,
    body: { key, officeId: 'plate-centre', topicId: 'new-plate', start: later.start },
  });
}

describe('a booking that needs another agency’s check', () => {
  it('books on the agency’s yes, and shows agents the answer it kept', async () => {
    const id = await register('Sí', '+50769993001', '8-701-1');
    const token = await signedIn('+50769993001');
    const { procedures } = (await citizen.call('/citizen/procedures', { token })).body;
    expect(procedures.find((p: { id: string }) => p.id === 'new-plate').checks).toEqual([
      'Paz y salvo municipal (Tesorería)',
    ]);
    const booked = await bookNewPlate(token, 'agency-yes-0001');
    expect(booked.status).toBe(201);
    const verdict = (await api(`/citizens/${id}/eligibility`, '[agent]', { query: { topic: 'new-plate' } }))
      .body;
    expect(verdict).toMatchObject({
      outcome: 'eligible',
      checks: [{ check: 'tax-clearance', outcome: 'eligible', source: 'cache' }],
    });
    expect(agency.requests('CEDULA#87011')).toBe(1);
  });

  it('books nothing on a no, and says the agency’s reason to the citizen and the agent', async () => {
    const id = await register('No', '+50769993002', '8-702-2');
    const token = await signedIn('+50769993002');
    const refused = await bookNewPlate(token, 'agency-no-00001');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'NOT_ELIGIBLE' });
    expect(refused.body.message).toContain('Tiene impuestos pendientes');
    expect((await citizen.call('/citizen/me', { token })).body.bookings).toEqual([]);
    const { slots } = (
      await api('/appointments/slots', '[agent]', { query: { office: 'plate-centre', topic: 'new-plate' } })
    ).body;
    const byAgent = await api('/appointments', '[agent]', {
      method: 'POST',
      body: {
        key: 'agency-no-staff1',
        citizenId: id,
        officeId: 'plate-centre',
        topicId: 'new-plate',
        start: slots[0].start,
      },
    });
    expect(byAgent.body.code).toBe('NOT_ELIGIBLE');
  });

  it('books nothing on a guess: a slow or a down agency is “will be verified”, within its bounds', async () => {
    for (const [phone, document, key] of [
      ['+50769993003', '8-703-3', 'agency-slow-0001'],
      ['+50769993004', '8-704-4', 'agency-down-0001'],
    ] as const) {
      await register('Quizá', phone, document);
      const token = await signedIn(phone);
      const started = Date.now();
      const answer = await bookNewPlate(token, key);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(answer.status).toBe(409);
      expect(answer.body.code).toBe('ELIGIBILITY_UNKNOWN');
      expect(answer.body.message).toMatch(/^will be verified: the agency did not answer \(tax-clearance\)/);
      expect((await citizen.call('/citizen/me', { token })).body.bookings).toEqual([]);
    }
    // Two attempts each (the first and one retry); an unknown is never kept, so the next booking asks again.
    expect(agency.requests('CEDULA#87033')).toBe(2);
    expect(agency.requests('CEDULA#87044')).toBe(2);
  });

  it('asks nothing of a procedure that needs no check, and says so when there is no document to ask with', async () => {
    const token = await signedIn('+50769993005');
    const plain = (
      await citizen.call('/citizen/slots', {
        token,
        query: { office: 'plate-centre', topic: 'plate-renewal' },
      })
    ).body.slots;
    const booked = await citizen.call('/citizen/bookings', {
      method: 'POST',
      token,
      body: {
        key: 'agency-none-0001',
        officeId: 'plate-centre',
        topicId: 'plate-renewal',
        start: plain[0].start,
      },
    });
    expect(booked.status).toBe(201);
    // The same number, now on record without a document, for a procedure that is checked by document.
    const checked = await bookNewPlate(token, 'agency-nodoc-001');
    expect(checked.body.code).toBe('ELIGIBILITY_UNKNOWN');
    expect(checked.body.message).toMatch(/none is on record/);
  });
});
