import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createHash } from 'node:crypto';
import { makeCaseNotifierHandler } from '../../lambdas/case-notifier/function';
import { makeConnectCaseHandler } from '../../lambdas/connect-case/function';
import { makeConnectConsentHandler } from '../../lambdas/connect-consent/function';
import { makeConnectLookupHandler } from '../../lambdas/connect-lookup/function';
import { demoPasswords } from '../../local/passwords';
import { loadUsers } from '../../local/session';
import { ConnectMessageSender } from '../../shared/adapters/connect/outbound';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client';
import { DynamoMessageTexts } from '../../shared/adapters/dynamodb/message-texts';
import { loadConfig } from '../../shared/config/load';
import type { SubjectExport } from '../../shared/domain/subject-access';
import { createRuntime } from '../../shared/runtime/runtime';
import { apiCaller, loadApiHandler, transition, type ApiCall } from '../support/api';
import { connectEvent } from '../support/connect';
import { recordingClient } from '../support/connect-client';
import { scanAll } from '../support/consistency';
import { freshTables, tableStreamRecords, testDynamoEndpoint } from '../support/dynamo';

/** Monday 7 December 2026, 09:00 in Panamá. */
const clock = { now: () => new Date('2026-12-07T14:00:00.000Z') };
const config = loadConfig('config/city-hall');
const PHONE = '+50769990201';
const EMAIL = 'marisol.pitti@example.org';
const OLD_EMAIL = 'mpitti@example.org';
const DOCUMENT = '8-888-1234';

let api: ApiCall;
let tables: Awaited<ReturnType<typeof freshTables>>;
const quiet = <T>(work: () => Promise<T>) => {
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  return work().finally(() => spy.mockRestore());
};

/**
 * A citizen with a bit of everything: a duplicate merged into them (with its own case), contacts by voice, SMS
 * and WhatsApp, a proof of identity, a note, an answer and a booking confirmation sent, a STOP.
 */
async function seed() {
  const runtime = (service: string) =>
    createRuntime({
      service,
      config,
      doc: createDocumentClient({ endpoint: testDynamoEndpoint() }),
      settings: {
        citizensTable: tables.names.citizens,
        casesTable: tables.names.cases,
        metricsTable: tables.names.metrics,
      },
      clock,
      logLevel: 'SILENT',
    });
  const createCase = makeConnectCaseHandler(runtime('connect-case'));
  const lookup = makeConnectLookupHandler(runtime('connect-lookup'));
  const consent = makeConnectConsentHandler(runtime('connect-consent'));
  const notifierRuntime = runtime('case-notifier');
  const notifier = makeCaseNotifierHandler(notifierRuntime, {
    sender: new ConnectMessageSender(
      recordingClient().client,
      new DynamoMessageTexts(notifierRuntime.doc, tables.names.citizens, clock.now),
      { instanceId: 'inst-1', flowId: 'flow-out', sources: { SMS: 'arn:sms', WHATSAPP: 'arn:whatsapp' } },
    ),
  });
  const notify = async () => {
    const records = await tableStreamRecords(tables.doc as unknown as DynamoDBClient, tables.names.cases);
    expect(await notifier({ Records: records })).toEqual({ batchItemFailures: [] });
  };
  const register = async (body: object) =>
    (await api('/citizens', '[agent]', { method: 'POST', body })).body.citizen.id as string;
  const citizenId = await register({
    givenNames: 'Marisol',
    surnames: 'Pitti Araúz',
    phone: PHONE,
    email: EMAIL,
    document: { type: 'CEDULA', number: DOCUMENT },
  });
  const duplicateId = await register({ givenNames: 'Marisol', surnames: 'Pitti', email: OLD_EMAIL });
  const tickets: string[] = [];
  tickets.push(
    (
      await api('/cases', '[agent]', {
        method: 'POST',
        body: { citizenId: duplicateId, topicId: 'complaint', channel: 'EMAIL' },
      })
    ).body.ticket,
  );
  // Three channels from one phone: a call opens a case, an SMS asks for a link, WhatsApp joins the first.
  const contactIds = ['sa-voice-1', 'sa-sms-1', 'sa-wa-1'];
  const [voice, sms, whatsapp] = await quiet(async () => [
    await createCase(
      connectEvent('voice-inbound-docs', {
        phone: PHONE,
        contactId: contactIds[0],
        parameters: { topic: 'plate-renewal' },
      }),
    ),
    await createCase(
      connectEvent('chat-sms', {
        phone: PHONE,
        contactId: contactIds[1],
        parameters: { topic: 'tax-clearance', request: 'link-by-sms' },
      }),
    ),
    await createCase(
      connectEvent('chat-whatsapp', {
        phone: PHONE,
        contactId: contactIds[2],
        parameters: { topic: 'plate-renewal' },
      }),
    ),
  ]);
  expect(whatsapp!.ticket).toBe(voice!.ticket);
  tickets.push(voice!.ticket!, sms!.ticket!);
  // The caller proves who they are on a later call.
  contactIds.push('sa-voice-2');
  await quiet(() =>
    lookup(
      connectEvent('voice-inbound-docs', {
        phone: PHONE,
        contactId: 'sa-voice-2',
        parameters: { verifyDocument: '88881234' },
      }),
    ),
  );
  await api(`/cases/${voice!.ticket}/notes`, '[agent]', {
    method: 'POST',
    body: { text: 'La señora Pitti pide que la llamen por la tarde.' },
  });
  for (const body of [
    { to: 'PENDING_RESPONSE' },
    { to: 'PENDING_COMMUNICATION', answer: 'Su placa está lista, señora Pitti.' },
  ])
    expect((await transition(api, voice!.ticket!, '[agent]', body)).status).toBe(200);
  const booking = (
    await api('/appointments', '[agent]', {
      method: 'POST',
      body: {
        key: 'subject-access-1',
        citizenId,
        officeId: 'plate-centre',
        topicId: 'lost-plate',
        start: '2026-12-09T15:00:00.000Z',
        notify: 'WHATSAPP',
      },
    })
  ).body as { id: string; code: string };
  expect(booking.code).toMatch(/^[A-Z0-9]{6}$/);
  await notify();
  const merged = await api(`/citizens/${citizenId}/merge`, '[supervisor]', {
    method: 'POST',
    body: { duplicateId, reason: 'la misma persona, confirmada por teléfono' },
  });
  expect(merged.status).toBe(200);
  await quiet(() =>
    consent(
      connectEvent('chat-sms', { phone: PHONE, contactId: 'sa-sms-2', parameters: { action: 'stop' } }),
    ),
  );
  return { citizenId, duplicateId, tickets, contactIds, booking };
}

beforeAll(async () => {
  tables = await freshTables();
  api = apiCaller(
    await loadApiHandler(tables.names, [], demoPasswords(loadUsers('config/city-hall')).store, clock),
  );
});

describe('subject access', () => {
  it("an administrator's export holds every item a scan of the tables finds about the citizen, and is logged", async () => {
    const seeded = await seed();
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
      // The answer, the link and the booking's confirmation.
      message: 3,
      verification: 1,
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
