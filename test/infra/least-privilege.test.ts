import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { buildApp } from '../../infra/build-app';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client';
import { demoPasswords } from '../../local/passwords';
import { loadUsers } from '../../local/session';
import { loadConfig } from '../../shared/config/load';
import { createRuntime } from '../../shared/runtime/runtime';
import { makeAnswerImportHandler } from '../../lambdas/answer-import/function';
import { makeAppointmentTasksHandler } from '../../lambdas/appointment-tasks/function';
import { makeApiHandler } from '../../lambdas/api/function';
import { makeCaseEventsHandler } from '../../lambdas/case-events/function';
import { makeCaseNotifierHandler } from '../../lambdas/case-notifier/function';
import { makeConnectAppointmentsHandler } from '../../lambdas/connect-appointments/function';
import { makeConnectCaseHandler } from '../../lambdas/connect-case/function';
import { makeConnectCaseStatusHandler } from '../../lambdas/connect-case-status/function';
import { makeConnectLookupHandler } from '../../lambdas/connect-lookup/function';
import { makeDailyExportHandler } from '../../lambdas/daily-export/function';
import { makeFollowUpHandler } from '../../lambdas/follow-up/function';
import { makeMetricsAggregatorHandler } from '../../lambdas/metrics-aggregator/function';
import { makeRetentionSweepHandler } from '../../lambdas/retention-sweep/function';
import { makeConnectCallbacksHandler } from '../../lambdas/connect-callbacks/function';
import { makeSurgeRuleHandler } from '../../lambdas/surge-rule/function';
import { makeCitizenApiHandler } from '../../lambdas/citizen-api/function';
import { makePaymentReconcileHandler } from '../../lambdas/payment-reconcile/function';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localUploads } from '../../local/uploads';
import { startFakeAgency } from '../../local/fake-agency';
import { startFakeGateway } from '../../local/fake-gateway';
import { AgencyChecks } from '../../shared/adapters/agency/agency-checks';
import { HostedCheckoutGateway } from '../../shared/adapters/payments/hosted-checkout';
import { signPayload } from '../../shared/adapters/payments/webhook-signature';
import { RecordedCallbackContacts } from '../../shared/adapters/connect/callback-contacts';
import { contactRecord } from '../../local/simulator/connect-records';
import { apiCaller, transition } from '../support/api';
import { connectEvent } from '../support/connect';
import { recordingClient } from '../support/connect-client';
import { ConnectMessageSender } from '../../shared/adapters/connect/outbound';
import { DynamoMessageTexts } from '../../shared/adapters/dynamodb/message-texts';
import { makeConnectMessageHandler } from '../../lambdas/connect-message/function';
import { makeConnectConsentHandler } from '../../lambdas/connect-consent/function';
import { freshTables, tableStreamRecords, testDynamoEndpoint } from '../support/dynamo';
import { TUESDAY_10AM } from '../support/business-hour';
import { asKinesis, morning } from '../support/morning';
import { recordAccess } from '../support/recorded-access';

/**
 * Least privilege, exactly: each function's role allows the DynamoDB actions, on the tables and indexes, that
 * its code performs — no fewer (it would fail in AWS) and no more (a flaw could do more than the code). What
 * the code performs is recorded while every function does all of its work on DynamoDB Local.
 */
type Grants = Map<string, Set<string>>;

function grantedByTemplate(): Grants {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const { contactCenter, application } = buildApp(app, 'config/city-hall');
  const grants: Grants = new Map();
  for (const stack of [contactCenter, application]) {
    const template = Template.fromStack(stack);
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    for (const [id, fn] of Object.entries(template.findResources('AWS::Lambda::Function'))) {
      const role = fn.Properties.Role?.['Fn::GetAtt']?.[0] as string | undefined;
      if (!role) continue;
      const name = id.replace(/Function[0-9A-F]{8}$/, '');
      const actions = new Set<string>();
      for (const policy of policies) {
        if (!JSON.stringify(policy.Properties.Roles).includes(`"${role}"`)) continue;
        for (const statement of policy.Properties.PolicyDocument.Statement) {
          const resource = JSON.stringify(statement.Resource);
          // The stream reads are the event source mapping's (Lambda polls with the role), not the code's.
          if (resource.includes('StreamArn')) continue;
          const table = /Tables(cases|citizens|metrics)[0-9A-F]{8}Arn/.exec(resource)?.[1];
          if (!table) continue;
          const index = /\/index\/(\w+)/.exec(resource)?.[1];
          for (const action of [statement.Action].flat() as string[])
            if (action.startsWith('dynamodb:'))
              actions.add(`${table}${index ? `/${index}` : ''}:${action.slice('dynamodb:'.length)}`);
        }
      }
      grants.set(name, actions);
    }
  }
  return grants;
}

const config = loadConfig('config/city-hall');
const used = new Map<string, Set<string>>();
const clients: { destroy(): void }[] = [];
const stoppers: (() => Promise<void>)[] = [];
afterAll(async () => {
  clients.forEach((c) => c.destroy());
  for (const stop of stoppers) await stop();
});
const quiet = () =>
  [process.stdout, process.stderr].map((s) => jest.spyOn(s, 'write').mockImplementation(() => true));

beforeAll(async () => {
  const { doc, names } = await freshTables();
  clients.push(doc);
  /** Each function on a client of its own, recorded, composed as at a cold start. */
  const runtime = (service: string, settings: Record<string, unknown> = {}, clock?: { now: () => Date }) => {
    const own = createDocumentClient({ endpoint: testDynamoEndpoint(), requestTimeoutMs: 5000 });
    clients.push(own);
    used.set(service, recordAccess(own, names));
    return createRuntime({
      service,
      config,
      doc: own,
      settings: {
        citizensTable: names.citizens,
        casesTable: names.cases,
        metricsTable: names.metrics,
        queueDepartments: [['arn:queue/tax', 'tax']],
        ...settings,
      },
      logLevel: 'SILENT',
      ...(clock ? { clock } : {}),
    });
  };
  const lookup = makeConnectLookupHandler(runtime('connect-lookup'));
  const createCase = makeConnectCaseHandler(runtime('connect-case'));
  const status = makeConnectCaseStatusHandler(runtime('connect-case-status'));
  // The phone line's appointments on a fixed morning: the times it offers never begin while the test runs.
  const appointments = makeConnectAppointmentsHandler(
    runtime('connect-appointments', {}, { now: () => TUESDAY_10AM }),
  );
  const published: unknown[] = [];
  const caseEvents = makeCaseEventsHandler(runtime('case-events'), {
    publisher: { publish: async (events: readonly unknown[]) => void published.push(...events) },
  } as never);
  // The notifier sends through Connect (recorded: the control plane cannot run here), keeping each text for the
  // outbound flow's function to read by its reference.
  const notifierRuntime = runtime('case-notifier');
  const connect = recordingClient();
  const notifier = makeCaseNotifierHandler(notifierRuntime, {
    sender: new ConnectMessageSender(
      connect.client,
      new DynamoMessageTexts(notifierRuntime.doc, names.citizens),
      {
        instanceId: 'inst-1',
        flowId: 'flow-out',
        sources: { SMS: 'arn:sms', WHATSAPP: 'arn:whatsapp' },
      },
    ),
  });
  const messageText = makeConnectMessageHandler(runtime('connect-message'));
  const consent = makeConnectConsentHandler(runtime('connect-consent'));
  const aggregator = makeMetricsAggregatorHandler(runtime('metrics-aggregator'));
  const callbacks = makeConnectCallbacksHandler(runtime('connect-callbacks'), {
    contacts: new RecordedCallbackContacts(),
  });
  const surgeRule = makeSurgeRuleHandler(
    runtime('surge-rule', {
      queueDepartments: [
        ['arn:queue/tax', 'tax'],
        ['arn:queue/general-information', 'general-information'],
      ],
    }),
  );
  // The documents' files on this machine, the agency and the payment gateway: real local servers.
  let uploadsBase = '';
  const uploads = localUploads(mkdtempSync(join(tmpdir(), 'least-privilege-uploads-')), () => uploadsBase);
  const uploadServer = createServer(
    (req, res) => void uploads.handle(req, res, new URL(req.url ?? '/', 'http://x')),
  );
  await new Promise<void>((resolve) => uploadServer.listen(0, '127.0.0.1', resolve));
  uploadsBase = `http://127.0.0.1:${(uploadServer.address() as { port: number }).port}`;
  const agency = await startFakeAgency({}, { otherwise: 'yes' });
  const gateway = await startFakeGateway({
    apiKey: 'k',
    webhookSecret: 'w',
    webhookUrl: () => 'http://127.0.0.1:9',
  });
  gateway.deliver(false);
  stoppers.push(
    () => new Promise<void>((resolve) => uploadServer.close(() => resolve())),
    agency.stop,
    gateway.stop,
  );
  const eligibility = new AgencyChecks(config.deployment.agencyChecks, { endpoint: agency.url });
  const api = apiCaller(
    makeApiHandler(runtime('api'), {
      staff: demoPasswords(loadUsers('config/city-hall')).store,
      eligibility,
      files: uploads.files,
    }),
  );
  const files = new Map<string, string>();
  const exchange = {
    put: async (key: string, body: string) => void files.set(key, body),
    text: async (key: string) => files.get(key) ?? '',
  };
  // The morning export on a working day, whatever day the test runs.
  const dailyExport = makeDailyExportHandler(runtime('daily-export', {}, { now: () => TUESDAY_10AM }), {
    exchange,
  });
  const answerImport = makeAnswerImportHandler(runtime('answer-import'), { exchange });
  // The follow-up runs on a working day weeks later, when the cases are overdue.
  let later = new Date(Date.now() + 40 * 86_400_000);
  while (!config.calendar.isBusinessDay('tax', config.calendar.local(later).date))
    later = new Date(later.getTime() + 86_400_000);
  const followUp = makeFollowUpHandler(runtime('follow-up', {}, { now: () => later }), {
    sink: { create: async () => {} },
  });

  // The retention sweep six years on, when the cases closed today are past their term.
  const sweep = makeRetentionSweepHandler(
    runtime('retention-sweep', {}, { now: () => new Date(Date.now() + 6 * 366 * 86_400_000) }),
  );

  /** The stream consumers on everything the cases table's stream holds so far (they are idempotent). */
  const consumeStream = async () => {
    const records = await tableStreamRecords(doc as unknown as DynamoDBClient, names.cases);
    expect(await caseEvents({ Records: records })).toEqual({ batchItemFailures: [] });
    expect(await notifier({ Records: records })).toEqual({ batchItemFailures: [] });
  };
  const spies = quiet();
  try {
    // The phone lines: an unknown caller opens a case, calls again (the pop), writes by SMS (joins it), asks
    // for a link on another topic, and hears the status of the first; later its answer.
    const phone = '+50761110001';
    await lookup(connectEvent('voice-inbound-docs', { phone }));
    const opened = await createCase(
      connectEvent('voice-inbound-docs', { phone, parameters: { topic: 'complaint' } }),
    );
    await lookup(connectEvent('voice-inbound-docs', { phone }));
    await createCase(connectEvent('chat-sms', { phone, parameters: { topic: 'complaint' } }));
    const linked = await createCase(
      connectEvent('voice-inbound-docs', {
        phone,
        parameters: { topic: 'plate-renewal', request: 'link-by-sms' },
      }),
    );
    // The caller proves who they are (a wrong document counted, then the right one) before the status line.
    await api('/citizens', '[agent]', {
      method: 'POST',
      body: {
        givenNames: 'Eva',
        surnames: 'Ruiz',
        phone: '6111-0001',
        document: { type: 'CEDULA', number: '8-1-2' },
      },
    });
    const callContact = 'least-privilege-call';
    for (const keyed of ['999', '812'])
      await lookup(
        connectEvent('voice-inbound-docs', {
          phone,
          contactId: callContact,
          parameters: { verifyDocument: keyed },
        }),
      );
    const caller = (parameters: Record<string, string>) =>
      connectEvent('voice-inbound-docs', { phone, contactId: callContact, parameters });
    expect(await status(caller({ ticket: opened.ticket! }))).toMatchObject({ outcome: 'OK' });

    // Appointments on the phone line: the proved caller books (a hold let go, another held and confirmed),
    // hears it, moves it and cancels it; new numbers fill a slot (each a provisional citizen), and the next finds
    // it full (the sweep of holds run out looks before answering).
    const appt = (parameters: Record<string, string>, contactId = callContact, from = phone) =>
      appointments(
        connectEvent('voice-inbound-docs', {
          phone: from,
          contactId,
          parameters: { topic: 'lost-plate', language: 'es', ...parameters },
        }),
      );
    const offered = await appt({ action: 'options' });
    expect(offered).toMatchObject({ outcome: 'OK', existing: 'none' });
    const first = await appt({ action: 'pick', slot: offered.slot1! });
    await appt({ action: 'release', booking: first.bookingId! });
    const held = await appt({ action: 'pick', slot: offered.slot2! });
    expect(await appt({ action: 'confirm', booking: held.bookingId! })).toMatchObject({ outcome: 'OK' });
    expect(await appt({ action: 'options' })).toMatchObject({ existing: 'shown' });
    expect(await appt({ action: 'pick', slot: offered.slot3! })).toMatchObject({ result: 'moved' });
    expect(await appt({ action: 'cancel' })).toMatchObject({ outcome: 'OK' });
    for (let i = 0; i < 5; i++)
      await appt({ action: 'pick', slot: offered.slot1! }, `least-privilege-appt-${i}`, `+5076111002${i}`);

    // The staff API: every route.
    await api('/metrics/live', '[supervisor]');
    await api('/metrics/intervals', '[supervisor]', { query: { queue: 'arn:queue/tax' } });
    await api('/metrics/summary', '[supervisor]');
    await api('/admin/users', '[admin]');
    await api('/admin/config', '[admin]');
    const registered = await api('/citizens', '[agent]', {
      method: 'POST',
      body: { givenNames: 'Rosa', surnames: 'Núñez', phone: '6111-0002' },
    });
    const rosa = registered.body.citizen.id as string;
    const withPhone = await api(`/citizens/${rosa}/identities`, '[agent]', {
      method: 'POST',
      body: { phone: '6111-0003', reason: 'su otro teléfono' },
    });
    expect(withPhone.status).toBe(200);
    await api('/citizens', '[agent]', { query: { phone: '6111-0002' } });
    await api('/citizens', '[agent]', { query: { surname: 'nunez' } });
    await api('/citizens', '[agent]', { query: { document: '8-123-456' } });
    const made = await api('/cases', '[agent]', {
      method: 'POST',
      body: { citizenId: rosa, topicId: 'tax-clearance', channel: 'SMS' },
    });
    const ticket = made.body.ticket as string;
    const note = await api(`/cases/${ticket}/notes`, '[agent]', { method: 'POST', body: { text: 'llamó' } });
    expect(note.status).toBe(201);
    await api('/cases', '[agent]', { query: { status: 'OPEN', department: 'tax' } });
    await api(`/citizens/${rosa}`, '[agent]');
    // Answered on the channel she wrote from (by the notifier); the phone line's case heard on the status line.
    for (const t of [ticket, opened.ticket!]) {
      expect((await transition(api, t, '[agent]', { to: 'PENDING_RESPONSE' })).status).toBe(200);
      const answered = await transition(api, t, '[agent]', { to: 'PENDING_COMMUNICATION', answer: 'Listo.' });
      expect(answered.status).toBe(200);
    }
    const heard = await status(caller({ ticket: opened.ticket! }));
    expect(heard).toMatchObject({ outcome: 'OK', status: 'COMMUNICATED' });
    await consumeStream();
    expect((await api(`/cases/${ticket}`, '[agent]')).body.case.status).toBe('COMMUNICATED');
    // The outbound contact's flow reads the answer's text by the reference it carries.
    const sent = connect.requests.at(-1)!.body as {
      Attributes: { messageRef: string };
      DestinationEndpoint: { Address: string };
    };
    expect(
      await messageText(
        connectEvent('chat-whatsapp', {
          phone: sent.DestinationEndpoint.Address,
          parameters: { messageRef: sent.Attributes.messageRef },
        }),
      ),
    ).toMatchObject({ outcome: 'OK', text: expect.stringContaining('Listo.') });
    // Another number writes BAJA twice by SMS (the second finds it stopped already), then ALTA.
    const stop = (action: string) =>
      consent(connectEvent('chat-sms', { phone: '+50761110009', parameters: { action } }));
    expect(await stop('stop')).toMatchObject({ outcome: 'OK', optedOut: 'true' });
    expect(await stop('stop')).toMatchObject({ outcome: 'OK', optedOut: 'true' });
    expect(await stop('start')).toMatchObject({ outcome: 'OK', optedOut: 'false' });
    expect((await api(`/cases/${linked.ticket}`, '[agent]')).body.case.status).toBe('RESOLVED');

    // A duplicate with an open case: cancelled (its topic's guard goes), reopened by a supervisor (it comes
    // back), then merged into the survivor (the case and its guard move).
    const twin = await api('/citizens', '[agent]', {
      method: 'POST',
      body: { givenNames: 'Rosa', surnames: 'Núñez', email: 'rosa@example.org' },
    });
    const twinId = twin.body.citizen.id as string;
    expect(twinId).not.toBe(rosa);
    const twinCase = await api('/cases', '[agent]', {
      method: 'POST',
      body: { citizenId: twinId, topicId: 'payment-plan', channel: 'VOICE' },
    });
    const other = twinCase.body.ticket as string;
    expect((await transition(api, other, '[agent]', { to: 'CANCELLED', reason: 'duplicado' })).status).toBe(
      200,
    );
    expect((await transition(api, other, '[supervisor]', { to: 'OPEN', reason: 'error' })).status).toBe(200);
    const merged = await api(`/citizens/${rosa}/merge`, '[supervisor]', {
      method: 'POST',
      body: { duplicateId: twinId, reason: 'misma persona' },
    });
    expect(merged.status).toBe(200);

    // An appointment: the offices, free slots, booked for her (confirmed by SMS), found by code, moved, cancelled.
    await api('/appointments/offices', '[agent]');
    const free = await api('/appointments/slots', '[agent]', {
      query: { office: 'plate-centre', topic: 'lost-plate', days: '14' },
    });
    const booked = await api('/appointments', '[agent]', {
      method: 'POST',
      body: {
        key: 'least-privilege-booking',
        citizenId: rosa,
        officeId: 'plate-centre',
        topicId: 'lost-plate',
        // The third time offered: it does not begin while the test runs.
        start: free.body.slots[2].start,
        notify: 'SMS',
      },
    });
    expect(booked.status).toBe(201);
    const booking = booked.body.id as string;
    await api(`/appointments/code/${booked.body.code}`, '[agent]');
    await api(`/appointments/${booking}`, '[agent]');
    await api(`/citizens/${rosa}/appointments`, '[agent]');
    const moved = await api(`/appointments/${booking}/reschedule`, '[agent]', {
      method: 'POST',
      body: { start: free.body.slots[3].start },
    });
    expect(moved.status).toBe(200);
    expect((await api(`/appointments/${booking}/cancel`, '[agent]', { method: 'POST' })).status).toBe(200);
    // At the office and for supervisors: check-in (another day's: refused), the next called, the display,
    // the day's figures, a closure of a day with nobody booked.
    const office = '/appointments/offices/plate-centre';
    await api(`${office}/checkin`, '[agent]', { method: 'POST', body: { code: booked.body.code } });
    await api(`${office}/call-next`, '[agent]', { method: 'POST', body: { desk: '1' } });
    await api(`${office}/display`, '[agent]');
    await api(`${office}/day`, '[agent]');
    await api(`/appointments/${booking}/served`, '[agent]', { method: 'POST' });
    expect(
      (
        await api(`${office}/closures`, '[supervisor]', {
          method: 'POST',
          // The end of the last day offered: nobody else's booking is there.
          body: { date: free.body.slots.at(-1).start.slice(0, 10), from: '15:45', reason: 'mantenimiento' },
        })
      ).status,
    ).toBe(200);
    // A waitlist for the last day offered.
    const joined = await api('/appointments/waitlist', '[agent]', {
      method: 'POST',
      body: {
        citizenId: rosa,
        officeId: 'plate-centre',
        topicId: 'plate-renewal',
        date: free.body.slots.at(-1).start.slice(0, 10),
        notify: 'SMS',
      },
    });
    expect(joined.status).toBe(201);
    await api('/appointments/waitlist', '[agent]', {
      query: { office: 'plate-centre', topic: 'plate-renewal', date: joined.body.date },
    });
    // The appointments' clock: a booking more than a day ahead is reminded an hour before, and is a no-show
    // once its slot has closed; the holds run out meanwhile are returned.
    const laterSlots = free.body.slots.filter(
      (s: { start: string }) => Date.parse(s.start) > Date.now() + 26 * 3_600_000,
    );
    const later = laterSlots[0].start as string;
    const remindable = await api('/appointments', '[agent]', {
      method: 'POST',
      body: {
        key: 'least-privilege-reminded',
        citizenId: rosa,
        officeId: 'plate-centre',
        topicId: 'lost-plate',
        start: later,
        notify: 'SMS',
      },
    });
    expect(remindable.status).toBe(201);
    let at = Date.parse(later) - 3_600_000;
    const tasks = makeAppointmentTasksHandler(runtime('appointment-tasks', {}, { now: () => new Date(at) }));
    await tasks();
    at = Date.parse(later) + 16 * 60_000;
    await tasks();
    expect((await api(`/appointments/${remindable.body.id}`, '[agent]')).body).toMatchObject({
      status: 'no-show',
      reminders: 2,
    });

    // A citizen on their own page, on a working morning: a code (a wrong one first), their record, the slots,
    // a booking moved and cancelled, the end of the session; a number locked by wrong codes.
    const citizenRuntime = runtime('citizen-api', {}, { now: () => TUESDAY_10AM });
    const citizenApi = makeCitizenApiHandler(citizenRuntime, {
      sender: new ConnectMessageSender(
        connect.client,
        new DynamoMessageTexts(citizenRuntime.doc, names.citizens),
        { instanceId: 'inst-1', flowId: 'flow-out', sources: { SMS: 'arn:sms' } },
      ),
      eligibility,
      files: uploads.files,
      gateway: new HostedCheckoutGateway({ endpoint: gateway.url, apiKey: 'k' }),
      webhookSecret: 'w',
    });
    const citizenCall = async (
      path: string,
      method = 'GET',
      body?: unknown,
      token?: string,
      headers: Record<string, string> = {},
    ) => {
      const response = (await citizenApi({
        rawPath: path,
        queryStringParameters: {},
        headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
        requestContext: { http: { method, sourceIp: '198.51.100.1' } },
      })) as { statusCode: number; body: string };
      return { status: response.statusCode, body: JSON.parse(response.body) };
    };
    // The code as the citizen reads it: from the message's kept text (read here outside the function).
    const kept = new DynamoMessageTexts(doc, names.citizens);
    const sentCode = async () => {
      const ref = (connect.requests.at(-1)!.body.Attributes as { messageRef: string }).messageRef;
      return /(\d{6})/.exec((await kept.read(ref))!.text)![1]!;
    };
    const citizenPhone = '+50761110009';
    const askCode = (phone: string) => citizenCall('/citizen/code', 'POST', { phone, channel: 'SMS' });
    expect((await askCode(citizenPhone)).status).toBe(202);
    const firstCode = await sentCode();
    const wrongCode = firstCode === '000000' ? '111111' : '000000';
    for (let i = 0; i < 2; i++)
      expect(
        (await citizenCall('/citizen/session', 'POST', { phone: citizenPhone, code: wrongCode })).status,
      ).toBe(401);
    const signed = await citizenCall('/citizen/session', 'POST', { phone: citizenPhone, code: firstCode });
    expect(signed.status).toBe(200);
    const citizenToken = signed.body.token as string;
    expect((await citizenCall('/citizen/me', 'GET', undefined, citizenToken)).status).toBe(200);
    await citizenCall('/citizen/procedures', 'GET', undefined, citizenToken);
    const freeSlots = (await citizenApi({
      rawPath: '/citizen/slots',
      queryStringParameters: { office: 'plate-centre', topic: 'plate-renewal' },
      headers: { authorization: `Bearer ${citizenToken}` },
      requestContext: { http: { method: 'GET', sourceIp: '198.51.100.1' } },
    })) as { body: string };
    const { slots } = JSON.parse(freeSlots.body) as { slots: { start: string }[] };
    const citizenBooking = await citizenCall(
      '/citizen/bookings',
      'POST',
      {
        key: 'least-privilege-web',
        officeId: 'plate-centre',
        topicId: 'plate-renewal',
        start: slots[0]!.start,
      },
      citizenToken,
    );
    expect(citizenBooking.status).toBe(201);
    const bookingPath = `/citizen/bookings/${citizenBooking.body.id}`;
    expect(
      (await citizenCall(`${bookingPath}/reschedule`, 'POST', { start: slots[1]!.start }, citizenToken))
        .status,
    ).toBe(200);
    expect((await citizenCall(`${bookingPath}/cancel`, 'POST', {}, citizenToken)).status).toBe(200);
    await citizenCall('/citizen/session/end', 'POST', {}, citizenToken);
    // Another number locked by five wrong codes.
    await askCode('+50761110010');
    const lockedOut = await sentCode();
    for (let i = 0; i < 5; i++)
      await citizenCall('/citizen/session', 'POST', {
        phone: '+50761110010',
        code: lockedOut === '000000' ? '111111' : '000000',
      });
    expect((await askCode('+50761110010')).status).toBe(429);
    // A new plate: the agency's yes, the booking held on a case the page opens, both documents sent and
    // accepted by an agent (read by their links), the fee's checkout and its signed payment: confirmed.
    const plateOwner = '+50761110011';
    await api('/citizens', '[agent]', {
      method: 'POST',
      body: {
        givenNames: 'Placa',
        surnames: 'Nueva',
        phone: plateOwner,
        document: { type: 'CEDULA', number: '8-111-1' },
      },
    });
    await askCode(plateOwner);
    const plateToken = (
      await citizenCall('/citizen/session', 'POST', { phone: plateOwner, code: await sentCode() })
    ).body.token as string;
    const plateSlots = JSON.parse(
      (
        (await citizenApi({
          rawPath: '/citizen/slots',
          queryStringParameters: { office: 'plate-centre', topic: 'new-plate' },
          headers: { authorization: `Bearer ${plateToken}` },
          requestContext: { http: { method: 'GET', sourceIp: '198.51.100.1' } },
        })) as { body: string }
      ).body,
    ).slots as { start: string }[];
    const plate = await citizenCall(
      '/citizen/bookings',
      'POST',
      {
        key: 'least-privilege-plate',
        officeId: 'plate-centre',
        topicId: 'new-plate',
        start: plateSlots[0]!.start,
      },
      plateToken,
    );
    expect(plate.body.status).toBe('held');
    const platePath = `/citizen/bookings/${plate.body.id}`;
    for (const kind of ['id-card', 'vehicle-title']) {
      const offered = await citizenCall(
        `${platePath}/documents/${kind}`,
        'POST',
        { contentType: 'application/pdf' },
        plateToken,
      );
      await fetch(offered.body.upload.url, {
        method: 'PUT',
        headers: offered.body.upload.fields,
        body: new TextEncoder().encode('%PDF-1.7\n%%EOF\n'),
      });
      expect(
        (await citizenCall(`${platePath}/documents/${kind}/sent`, 'POST', {}, plateToken)).body.status,
      ).toBe('in-review');
      await api(`/appointments/${plate.body.id}/documents/${kind}/review`, '[agent]', {
        method: 'POST',
        body: { decision: 'accept' },
      });
    }
    await api(`/appointments/${plate.body.id}/requirements`, '[agent]');
    const fee = await citizenCall(`${platePath}/requirements`, 'GET', undefined, plateToken);
    expect(fee.body.fee.status).toBe('SENT');
    const paidEvent = JSON.stringify({
      id: 'evt-lp-1',
      reference: `pay-${plate.body.id}`,
      type: 'paid',
      amount: 2500,
      currency: 'USD',
      at: TUESDAY_10AM.toISOString(),
    });
    const signedAt = Math.floor(TUESDAY_10AM.getTime() / 1000);
    const hook = await citizenCall('/payments/webhook', 'POST', paidEvent, undefined, {
      'webhook-timestamp': String(signedAt),
      'webhook-signature': signPayload('w', signedAt, paidEvent),
    });
    expect(hook.body.outcome).toBe('applied');
    expect((await api(`/appointments/${plate.body.id}`, '[agent]')).body.status).toBe('booked');
    // The citizen moves to another day (cancel, book again): the new booking is paid on the gateway's page,
    // whose webhook is lost; the nightly reconciliation finds the payment and confirms the booking.
    await citizenCall(`/citizen/bookings/${plate.body.id}/cancel`, 'POST', {}, plateToken);
    const second = await citizenCall(
      '/citizen/bookings',
      'POST',
      {
        key: 'least-privilege-plate-2',
        officeId: 'plate-centre',
        topicId: 'new-plate',
        start: plateSlots[1]!.start,
      },
      plateToken,
    );
    expect(second.status).toBe(201);
    // The same case: its documents, accepted already, count for this booking too.
    const secondPath = `/citizen/bookings/${second.body.id}`;
    const payUrl = (await citizenCall(`${secondPath}/requirements`, 'GET', undefined, plateToken)).body.fee
      .payUrl as string;
    await fetch(payUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'decision=pay',
      redirect: 'manual',
    });
    const reconcile = makePaymentReconcileHandler(
      runtime('payment-reconcile', {}, { now: () => TUESDAY_10AM }),
      { gateway: new HostedCheckoutGateway({ endpoint: gateway.url, apiKey: 'k' }) },
    );
    expect(await reconcile()).toMatchObject({ applied: 1, confirmed: 1 });
    // The back office through the API, then its schedule and bucket: a morning export, an answers file
    // (checked, then applied), and the follow-up of what is overdue.
    expect(
      (await api('/backoffice/exports', '[supervisor]', { method: 'POST', body: { department: 'tax' } }))
        .status,
    ).toBe(200);
    for (const query of [{ dryRun: 'true' }, {}] as Record<string, string>[])
      await api('/backoffice/imports', '[supervisor]', {
        method: 'POST',
        query,
        headers: { 'content-type': 'text/csv' },
        body: `ticket,answer\n${other},Aprobado\n`,
      });
    const morningCase = await createCase(
      connectEvent('voice-inbound-docs', { phone: '+50761110004', parameters: { topic: 'tax-clearance' } }),
    );
    const exported = (await dailyExport()) as { exports: unknown[] };
    expect(exported.exports.length).toBeGreaterThan(0);
    // The citizen of the morning case corrects their names: the tax office, which received them, is told by
    // the export's next run.
    const morningCitizen = (await api(`/cases/${morningCase.ticket}`, '[agent]')).body.case.citizenId;
    const corrected = await api(`/citizens/${morningCitizen}/rectification`, '[admin]', {
      method: 'POST',
      body: { reference: 'RECT-2026-1', givenNames: 'Ana', surnames: 'Pérez' },
    });
    expect(corrected.body.toldBy).toEqual([{ departmentId: 'tax', rows: 1 }]);
    expect(JSON.stringify(await dailyExport())).toContain('"rectified":1');
    files.set('imports/tax/answers.csv', `ticket,answer\n${morningCase.ticket},Listo\n`);
    files.set('imports/tax/dry-run/answers.csv', `ticket,answer\n${morningCase.ticket},Listo\n`);
    for (const key of ['imports/tax/dry-run/answers.csv', 'imports/tax/answers.csv'])
      await answerImport({ Records: [{ s3: { object: { key } } }] });
    await followUp();
    await consumeStream();
    expect(published.length).toBeGreaterThan(0);

    // Queued callbacks: one asked for, the second request told it is pending, one cancelled, one ended by
    // its callback contact's record (the aggregator).
    const cb = (
      parameters: Record<string, string>,
      from = '+50761110005',
      contactId = 'least-privilege-cb',
    ) =>
      callbacks(
        connectEvent('voice-inbound-docs', {
          phone: from,
          contactId,
          parameters: { language: 'es', queue: 'arn:queue/tax', topic: 'payment-plan', ...parameters },
        }),
      );
    expect(await cb({ action: 'check' })).toMatchObject({ pending: 'false' });
    expect(await cb({ action: 'request' })).toMatchObject({ result: 'requested' });
    expect(await cb({ action: 'request' }, '+50761110005', 'least-privilege-cb-2')).toMatchObject({
      result: 'pending',
    });
    expect(await cb({ action: 'cancel' })).toMatchObject({ cancelled: 'true' });
    expect(await cb({ action: 'request' }, '+50761110006', 'least-privilege-cb-3')).toMatchObject({
      result: 'requested',
    });
    const callbackAt = Date.now();
    await aggregator({
      Records: asKinesis([
        contactRecord(
          {
            contactId: 'least-privilege-cb-3-cb',
            channel: 'VOICE',
            initiatedAt: callbackAt,
            callbackOf: 'least-privilege-cb-3',
          },
          {
            connectedToSystemAt: callbackAt + 60_000,
            disconnectedAt: callbackAt + 120_000,
            lastUpdateAt: callbackAt + 150_000,
            disconnectReason: 'CUSTOMER_DISCONNECT',
            queue: { arn: 'arn:queue/tax', enqueuedAt: callbackAt, dequeuedAt: callbackAt + 30_000 },
            attributes: {},
          },
        ),
      ]),
    });
    expect(await cb({ action: 'check' }, '+50761110006', 'least-privilege-cb-4')).toMatchObject({
      pending: 'false',
    });

    // Surge: switched by a supervisor (then read by the next call's lookup), its log, and the rule's minute.
    expect(
      (await api('/surge/tax', '[supervisor]', { method: 'POST', body: { on: true, reason: 'vencimiento' } }))
        .status,
    ).toBe(200);
    expect(await lookup(connectEvent('voice-inbound-docs', { phone }))).toMatchObject({
      surge_tax: 'true',
      surge_vehicles: 'false',
    });
    await api('/surge', '[supervisor]');
    await api('/surge/log', '[supervisor]');
    // A subject access of the citizen with the most on record, and its log.
    const access = await api(`/citizens/${rosa}/subject-access`, '[admin]', {
      method: 'POST',
      body: { reason: 'Solicitud de acceso 1' },
    });
    expect(access.status).toBe(200);
    expect((await api(`/citizens/${rosa}/privacy-log`, '[admin]')).body.items).toHaveLength(1);
    // Then her erasure.
    const erased = await api(`/citizens/${rosa}/erasure`, '[admin]', {
      method: 'POST',
      body: { reference: 'ERASE-2026-1' },
    });
    expect(erased.status).toBe(200);
    // A legal hold on the first caller, who then calls again; years later, the nightly retention sweep ends the
    // closed cases past their term, keeps the held citizen's and sets aside the new call's expiries. Then the
    // hold ends, and the day's report and the holds are read.
    const callerId = (await api(`/cases/${opened.ticket}`, '[agent]')).body.case.citizenId as string;
    const hold = await api(`/citizens/${callerId}/hold`, '[admin]', {
      method: 'POST',
      body: { reference: 'ORD-2026-1', reason: 'orden judicial' },
    });
    expect(hold.status).toBe(200);
    await createCase(connectEvent('voice-inbound-docs', { phone, parameters: { topic: 'tax-clearance' } }));
    const report = await sweep();
    expect(report.cases.retired).toBeGreaterThan(0);
    expect(report.cases.held).toBeGreaterThan(0);
    expect(report.holds.expiriesSetAside).toBeGreaterThan(0);
    await api('/admin/holds', '[admin]');
    await api('/admin/retention', '[admin]', { query: { date: report.date } });
    const release = await api(`/citizens/${callerId}/hold/release`, '[admin]', {
      method: 'POST',
      body: { reference: 'ORD-2026-1-FIN' },
    });
    expect(release.status).toBe(200);

    // The metrics of a morning; the surge rule's minute on it (a caller still waiting long: its tally begins).
    // As Lambda delivers them: from one shard, counted in runs.
    await aggregator({
      Records: asKinesis(morning(40, 5).payloads).map((r) => ({
        ...r,
        eventID: `shardId-000000000000:${r.kinesis.sequenceNumber}`,
      })),
    });
    expect(await surgeRule()).toEqual({ switchedOn: [], switchedOff: [] });
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
}, 120_000);

const granted = grantedByTemplate();

describe('least privilege, derived from what each function does', () => {
  it.each([
    ['connect-lookup', 'connectlookup'],
    ['connect-case', 'connectcase'],
    ['connect-case-status', 'connectcasestatus'],
    ['connect-message', 'connectmessage'],
    ['connect-consent', 'connectconsent'],
    ['connect-appointments', 'connectappointments'],
    ['case-events', 'caseevents'],
    ['case-notifier', 'Outboundcasenotifier'],
    ['follow-up', 'Outboundfollowup'],
    ['metrics-aggregator', 'metricsaggregator'],
    ['api', 'api'],
    ['daily-export', 'BackOfficedailyexport'],
    ['answer-import', 'BackOfficeanswerimport'],
    ['appointment-tasks', 'appointmenttasks'],
    ['connect-callbacks', 'connectcallbacks'],
    ['surge-rule', 'surgerule'],
    ['retention-sweep', 'retentionsweep'],
    ['citizen-api', 'citizenapi'],
    ['payment-reconcile', 'paymentreconcile'],
  ])('%s may do exactly what its code does on DynamoDB', (service, templateName) => {
    const needs = [...(used.get(service) ?? [])].sort();
    const allowed = [...(granted.get(templateName) ?? [])].sort();
    expect(allowed).toEqual(needs);
  });
});
