import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { makeCaseNotifierHandler } from '../../lambdas/case-notifier/function';
import { makeConnectCaseHandler } from '../../lambdas/connect-case/function';
import { makeConnectConsentHandler } from '../../lambdas/connect-consent/function';
import { makeConnectLookupHandler } from '../../lambdas/connect-lookup/function';
import { ConnectMessageSender } from '../../shared/adapters/connect/outbound';
import { DynamoMessageTexts } from '../../shared/adapters/dynamodb/message-texts';
import { DynamoOutbox } from '../../shared/adapters/dynamodb/outbox';
import type { MessageSender } from '../../shared/domain/messaging';
import { transition, type ApiCall } from './api';
import { connectEvent } from './connect';
import { recordingClient } from './connect-client';
import { tableStreamRecords, type freshTables } from './dynamo';
import { runtimeOn } from './runtime';

export const PHONE = '+50769990201';
export const EMAIL = 'marisol.pitti@example.org';
export const OLD_EMAIL = 'mpitti@example.org';
export const DOCUMENT = '8-888-1234';
/** Every personal value of the seeded citizen, as a scan would look for it (the document as it is stored). */
export const PERSONAL = [PHONE, PHONE.slice(1), EMAIL, OLD_EMAIL, '88881234', 'Marisol', 'Pitti', 'Araúz'];

const quiet = <T>(work: () => Promise<T>) => {
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  return work().finally(() => spy.mockRestore());
};

/**
 * A citizen with a bit of everything: a duplicate merged into them (with its own case), contacts by voice, SMS
 * and WhatsApp, a proof of identity, a note, an answer and a booking confirmation sent, a place on a waitlist,
 * a STOP.
 */
export async function seedCitizen(
  tables: Awaited<ReturnType<typeof freshTables>>,
  api: ApiCall,
  clock: { now(): Date },
  options: { outbox?: boolean } = {},
) {
  const runtime = runtimeOn(tables, clock);
  const createCase = makeConnectCaseHandler(runtime('connect-case'));
  const lookup = makeConnectLookupHandler(runtime('connect-lookup'));
  const consent = makeConnectConsentHandler(runtime('connect-consent'));
  const notifierRuntime = runtime('case-notifier');
  // Through Connect (the texts kept for the outbound flow), or into the local outbox.
  const sender: MessageSender = options.outbox
    ? new DynamoOutbox(tables.doc, tables.names.cases, clock.now)
    : new ConnectMessageSender(
        recordingClient().client,
        new DynamoMessageTexts(notifierRuntime.doc, tables.names.citizens, clock.now),
        { instanceId: 'inst-1', flowId: 'flow-out', sources: { SMS: 'arn:sms', WHATSAPP: 'arn:whatsapp' } },
      );
  const notifier = makeCaseNotifierHandler(notifierRuntime, { sender });
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
  // The day's export to the tax office carries the link request, with the citizen's name and document.
  expect(
    (await api('/backoffice/exports', '[supervisor]', { method: 'POST', body: { department: 'tax' } }))
      .status,
  ).toBe(200);
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
  // She waits for a place on a fuller day, to be offered by WhatsApp.
  const waiting = await api('/appointments/waitlist', '[agent]', {
    method: 'POST',
    body: {
      citizenId,
      officeId: 'plate-centre',
      topicId: 'plate-renewal',
      date: '2026-12-10',
      notify: 'WHATSAPP',
    },
  });
  expect(waiting.status).toBe(201);
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
  return { citizenId, duplicateId, tickets, contactIds, booking, lookup };
}
