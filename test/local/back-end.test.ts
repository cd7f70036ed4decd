import { testDynamoEndpoint } from '../support/dynamo';
import { until } from '../support/until';
import { withCapturedLogs } from '../support/logs';
import { localApi } from '../support/local-api';
import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { randomUUID } from 'node:crypto';
import { EVENT_STREAM, startLocalBackEnd } from '../../local/back-end';
import { localQueue } from '../../local/contact-center';
import { connectEvent } from '../support/connect';
import { DynamoContactStore } from '../../shared/adapters/dynamodb/contact-store';
import { phoneIdentity } from '../../shared/domain/identity';
import { marshall } from '@aws-sdk/util-dynamodb';
import { caseItem } from '../../shared/adapters/dynamodb/case-items';
import { DynamoCaseRepository } from '../../shared/adapters/dynamodb/case-repository';
import type { Case } from '../../shared/domain/case';
import { parseTicket } from '../../shared/domain/ticket';

type BackEnd = Awaited<ReturnType<typeof startLocalBackEnd>>;
let backEnd: BackEnd;

beforeAll(async () => {
  backEnd = await startLocalBackEnd({
    configDir: 'config/city-hall',
    dynamoEndpoint: testDynamoEndpoint(),
    tablePrefix: `l${randomUUID().slice(0, 8)}-`,
    port: 0,
  });
}, 60_000);
afterAll(() => backEnd?.stop());

const liveView = async () => {
  const res = await fetch(`${backEnd.url}/api/metrics/live`, {
    headers: { authorization: `Bearer ${backEnd.token}` },
  });
  return (await res.json()) as {
    queues: { queue: string; waiting: number }[];
    cases: Record<string, Record<string, number>>;
  };
};

describe('local back end', () => {
  it('refuses the API without the session token', async () => {
    const res = await fetch(`${backEnd.url}/api/metrics/live`);
    expect(res.status).toBe(401);
  });

  it('shows a contact queued on the stream through the API within two seconds', async () => {
    const started = Date.now();
    await backEnd.kinesis.send(
      new PutRecordCommand({
        StreamName: EVENT_STREAM,
        PartitionKey: 'c-local-1',
        Data: Buffer.from(
          JSON.stringify({
            version: '0',
            id: 'local-queued-1',
            'detail-type': 'Amazon Connect Contact Event',
            source: 'aws.connect',
            time: new Date().toISOString(),
            detail: {
              eventType: 'QUEUED',
              contactId: 'c-local-1',
              channel: 'VOICE',
              queueInfo: { queueArn: localQueue('tax') },
            },
          }),
        ),
      }),
    );
    const view = await until(
      liveView,
      (v) => v.queues.find((q) => q.queue === localQueue('tax'))?.waiting === 1,
    );
    expect(view.queues.find((q) => q.queue === localQueue('tax'))?.waiting).toBe(1);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('counts a case opened by the Connect function, through the cases table stream and the event stream', async () => {
    const quiet = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const result = (await backEnd.handlers.createCase(
        connectEvent('voice-inbound-docs', { phone: '+50767778888', parameters: { topic: 'payment-plan' } }),
      )) as { outcome: string };
      expect(result.outcome).toBe('OK');
    } finally {
      quiet.mockRestore();
    }
    const view = await until(liveView, (v) => (v.cases.tax?.OPEN ?? 0) >= 1);
    expect(view.cases.tax?.OPEN).toBe(1);
  });
});

describe('proactive answers', () => {
  const api = (path: string, method = 'GET', body?: unknown, ifMatch?: string) =>
    localApi(backEnd)(path, method, body, ifMatch);

  const caseOf = async (ticket: string) =>
    (await api(`/cases/${ticket}`)).body.case as { status: string; version: number };
  async function answeredCase(phone: string, channel: string) {
    const citizen = await api('/citizens', 'POST', { givenNames: 'Luz', surnames: 'Ábrego', phone });
    const id = (citizen.body.citizen as { id: string }).id;
    const opened = await api('/cases', 'POST', { citizenId: id, topicId: 'plate-renewal', channel });
    const ticket = opened.body.ticket;
    await api(`/cases/${ticket}/transitions`, 'POST', { to: 'PENDING_RESPONSE' }, '"1"');
    const moved = await api(
      `/cases/${ticket}/transitions`,
      'POST',
      { to: 'PENDING_COMMUNICATION', answer: 'Su placa está lista.' },
      '"2"',
    );
    // The local server passes the version on, as API Gateway does.
    expect(moved.etag).toBe('"3"');
    return ticket;
  }

  it('sends the answer on the channel the citizen used, once, and marks the case communicated', async () => {
    const ticket = await answeredCase('6222-3333', 'WHATSAPP');
    const done = await until(
      () => caseOf(ticket),
      (c) => c.status === 'COMMUNICATED',
      8000,
    );
    expect(done.status).toBe('COMMUNICATED');
    const outbox = (await api('/outbox')).body.items as {
      ticket: string;
      channel: string;
      to: string;
      text: string;
    }[];
    const sent = outbox.filter((m) => m.ticket === ticket);
    expect(sent).toEqual([
      expect.objectContaining({
        channel: 'WHATSAPP',
        to: '+50762223333',
        text: `Respuesta a su trámite ${ticket}: Su placa está lista.`,
      }),
    ]);
    // The stream delivers the change again (the case's images as the table's stream carries them): nothing
    // more is sent.
    const now = (await new DynamoCaseRepository(backEnd.doc, backEnd.names).byTicket(parseTicket(ticket)))!;
    const image = (status: Case['status']) =>
      marshall(caseItem({ ...now, status }), { removeUndefinedValues: true }) as Record<string, unknown>;
    const quiet = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await backEnd.handlers.caseNotifier({
        Records: [
          {
            eventName: 'MODIFY',
            dynamodb: {
              SequenceNumber: '1',
              NewImage: image('PENDING_COMMUNICATION'),
              OldImage: image('PENDING_RESPONSE'),
            },
          },
        ],
      });
    } finally {
      quiet.mockRestore();
    }
    const again = (await api('/outbox')).body.items as { ticket: string }[];
    expect(again.filter((m) => m.ticket === ticket)).toHaveLength(1);
    expect((await caseOf(ticket)).status).toBe('COMMUNICATED');
  });

  it('passes a record no retry can fix (counted as skipped) instead of holding the stream on it', async () => {
    const { result, logs } = await withCapturedLogs(() =>
      backEnd.handlers.caseNotifier({
        Records: [
          {
            eventName: 'MODIFY',
            dynamodb: {
              SequenceNumber: '7',
              // A case item that does not read as a case: no retry will ever change that.
              NewImage: {
                type: { S: 'CASE' },
                ticket: { S: '4829137756' },
                status: { S: 'PENDING_COMMUNICATION' },
              },
            },
          },
        ],
      }),
    );
    expect(result).toEqual({ batchItemFailures: [] });
    const skipped = logs.find((l) => l.message === 'record skipped');
    expect(skipped).toMatchObject({ level: 'ERROR', sequenceNumber: '7', errorType: '$ZodError' });
  });

  it('texts the link self-service promised to a caller and resolves the request; without a link it waits for a person', async () => {
    const request = async (topic: string, phone: string, ask: string | null = 'link-by-sms') => {
      const quiet = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        return (await backEnd.handlers.createCase(
          connectEvent('voice-inbound-docs', {
            phone,
            parameters: { topic, ...(ask ? { request: ask } : {}) },
          }),
        )) as { outcome: string; ticket: string };
      } finally {
        quiet.mockRestore();
      }
    };
    const linked = await request('plate-renewal', '+50762225555');
    expect(linked.outcome).toBe('OK');
    const resolved = await until(
      () => caseOf(linked.ticket),
      (c) => c.status === 'RESOLVED',
      8000,
    );
    expect(resolved.status).toBe('RESOLVED');
    const outbox = (await api('/outbox')).body.items as { ticket: string; channel: string; text: string }[];
    expect(outbox.filter((m) => m.ticket === linked.ticket)).toEqual([
      expect.objectContaining({
        channel: 'SMS',
        // The caller chose English in the flow: the message is in English.
        text: `Inspection and plate renewal: https://example.gob.pa/tramites/placa (request ${linked.ticket})`,
      }),
    ]);
    const unlinked = await request('complaint', '+50762226666');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await caseOf(unlinked.ticket)).status).toBe('OPEN');

    // A caller with an open case on the topic who asks for the link joins that case, and gets the link too.
    const opened = await request('plate-renewal', '+50762228888', null);
    const joined = await request('plate-renewal', '+50762228888');
    expect(joined.ticket).toBe(opened.ticket);
    const texted = await until(
      async () =>
        ((await api('/outbox')).body.items as { ticket: string }[]).filter((m) => m.ticket === joined.ticket),
      (messages) => messages.length > 0,
      8000,
    );
    expect(texted).toEqual([expect.objectContaining({ channel: 'SMS', to: '+50762228888' })]);
    expect((await caseOf(joined.ticket)).status).toBe('OPEN');
  });

  it('texts a number at most three messages it asked for in a day, and none abroad: the rest wait for a person', async () => {
    const ask = async (phone: string) => {
      const quiet = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        const made = (await backEnd.handlers.createCase(
          connectEvent('voice-inbound-docs', {
            phone,
            parameters: { topic: 'plate-renewal', request: 'link-by-sms' },
          }),
        )) as { outcome: string; ticket: string };
        expect(made.outcome).toBe('OK');
        return made.ticket;
      } finally {
        quiet.mockRestore();
      }
    };
    /** The stream is read in order: once a later request is texted, every earlier one was dealt with. */
    const settled = async (ticket: string) =>
      expect(
        (
          await until(
            () => caseOf(ticket),
            (c) => c.status === 'RESOLVED',
            8000,
          )
        ).status,
      ).toBe('RESOLVED');
    const tickets = [];
    for (let i = 0; i < 4; i++) {
      tickets.push(await ask('+50762229991'));
      // Resolved when texted; the next request then opens a case of its own.
      if (i < 3) await settled(tickets[i]!);
    }
    // A number of another country (a premium-rate trap, or a mistake) gets nothing: the request waits.
    const abroad = await ask('+34912345678');
    await settled(await ask('+50762229992'));
    expect(new Set(tickets).size).toBe(4);
    const statuses = await Promise.all(tickets.map(async (t) => (await caseOf(t)).status));
    expect(statuses).toEqual(['RESOLVED', 'RESOLVED', 'RESOLVED', 'OPEN']);
    const outbox = (await api('/outbox')).body.items as { to: string }[];
    expect(outbox.filter((m) => m.to === '+50762229991')).toHaveLength(3);
    expect((await caseOf(abroad)).status).toBe('OPEN');
    expect(((await api('/outbox')).body.items as { to: string }[]).map((m) => m.to)).not.toContain(
      '+34912345678',
    );
  });

  it("shows a back-office batch's change on the citizen's screen pops, through the cases table stream", async () => {
    const citizen = await api('/citizens', 'POST', {
      givenNames: 'Ana',
      surnames: 'Quirós',
      phone: '6222-7777',
    });
    const id = (citizen.body.citizen as { id: string }).id;
    const { ticket } = (
      await api('/cases', 'POST', { citizenId: id, topicId: 'record-correction', channel: 'VOICE' })
    ).body;
    const exported = await api('/backoffice/exports', 'POST', { department: 'civil-registry' });
    expect(exported.status).toBe(200);
    expect((await caseOf(ticket)).status).toBe('PENDING_RESPONSE');
    const screenPops = new DynamoContactStore(backEnd.doc, backEnd.names);
    const shown = await until(
      async () => (await screenPops.summary(phoneIdentity('6222-7777', 'PA')))?.openCases[ticket],
      (entry) => entry?.status === 'PENDING_RESPONSE',
      8000,
    );
    expect(shown).toMatchObject({ status: 'PENDING_RESPONSE', version: 2 });
  });

  it('leaves a case with no messaging channel pending communication, for the status line or an agent', async () => {
    const ticket = await answeredCase('6222-4444', 'VOICE');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await caseOf(ticket)).status).toBe('PENDING_COMMUNICATION');
    const outbox = (await api('/outbox')).body.items as { ticket: string }[];
    expect(outbox.some((m) => m.ticket === ticket)).toBe(false);
  });
});
