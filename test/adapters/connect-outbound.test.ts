import { QueueMap } from '../../shared/domain/departments';
import { ConnectMessageSender, ConnectTaskSink } from '../../shared/adapters/connect/outbound';
import { exportKeys, importOf } from '../../shared/adapters/s3/exchange';
import { MessagingUnavailableError } from '../../shared/domain/errors';
import type { FollowUpTask } from '../../shared/domain/follow-up';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoMessageTexts } from '../../shared/adapters/dynamodb/message-texts';
import { loadConfig } from '../../shared/config/load';
import { createRuntime } from '../../shared/runtime/runtime';
import { makeConnectMessageHandler } from '../../lambdas/connect-message/function';
import { LOCAL, localFlowEngine } from '../../local/contact-center';
import { runContact } from '../../local/flow-engine';
import { recordingClient } from '../support/connect-client';
import { freshTables } from '../support/dynamo';

const SMS = 'arn:aws:connect:us-east-1:111122223333:phone-number/4f2a9c1e-0000-4000-8000-000000000002';

/** A sender on a fresh citizens table, the local flow engine with the message function on the same table. */
async function outbound() {
  const { doc, names } = await freshTables();
  const config = loadConfig('config/city-hall');
  const runtime = createRuntime({
    service: 'connect-message',
    config,
    doc,
    settings: { citizensTable: names.citizens, casesTable: names.cases },
    logLevel: 'SILENT',
  });
  const { client, requests } = recordingClient();
  const sender = new ConnectMessageSender(client, new DynamoMessageTexts(doc, names.citizens), {
    instanceId: 'inst-1',
    flowId: 'flow-out',
    sources: { SMS, WHATSAPP: SMS },
  });
  const handler = makeConnectMessageHandler(runtime);
  const unused = async () => ({});
  const engine = localFlowEngine(config, {
    lookup: unused,
    createCase: unused,
    caseStatus: unused,
    message: handler,
  });
  /** The outbound contact Connect would start from a request: its flow, its attributes, its number. */
  const play = (request: (typeof requests)[number], phone = '+50762223333') =>
    runContact(
      engine,
      LOCAL.outboundFlow,
      {
        channel: 'CHAT',
        subtype: 'connect:WhatsApp',
        phone,
        attributes: request.body.Attributes as Record<string, string>,
      },
      'outbound-1',
    );
  return { doc, names, sender, requests, play };
}

describe('Connect outbound adapters', () => {
  const answer = {
    id: '4829137756#4',
    ticket: '4829137756',
    channel: 'WHATSAPP',
    to: '+50762223333',
    language: 'es',
    text: 'Respuesta a su trámite 4829137756: lista para retirar, Marisol.',
  } as const;

  it('sends an answer as an outbound chat carrying only its reference; the flow says the kept text and keeps none of it', async () => {
    const { sender, requests, play } = await outbound();
    await sender.send(answer);
    expect(requests).toEqual([
      {
        path: '/contact/outbound-chat',
        body: expect.objectContaining({
          InstanceId: 'inst-1',
          ContactFlowId: 'flow-out',
          ClientToken: '4829137756#4',
          SourceEndpoint: { Type: 'CONNECT_PHONENUMBER_ARN', Address: SMS },
          DestinationEndpoint: { Type: 'TELEPHONE_NUMBER', Address: '+50762223333' },
          SegmentAttributes: { 'connect:Subtype': { ValueString: 'connect:WhatsApp' } },
          Attributes: { ticket: '4829137756', messageRef: '4829137756#4', lang: 'es' },
        }),
      },
    ]);
    // Nothing of the text in what Connect keeps for 24 months.
    expect(JSON.stringify(requests)).not.toContain('Marisol');
    const heard = await play(requests[0]!);
    expect(heard.transcript).toContain(`< ${answer.text}`);
    expect(JSON.stringify(heard.attributes)).not.toContain('Marisol');
    expect(heard.end).toEqual({ kind: 'disconnected' });
  });

  it('says a note to write back, in the message language, when the text is gone or not for this number', async () => {
    const { doc, names, sender, requests, play } = await outbound();
    await sender.send({ ...answer, language: 'en' });
    const toOther = await play(requests[0]!, '+50769998888');
    expect(toOther.transcript.join('\n')).toContain('could not show it');
    expect(toOther.transcript.join('\n')).not.toContain('Marisol');
    await doc.send(
      new DeleteCommand({ TableName: names.citizens, Key: { pk: 'MESSAGE#4829137756#4', sk: 'TEXT' } }),
    );
    const gone = await play(requests[0]!);
    expect(gone.transcript.join('\n')).toContain('We had a message for you about your request 4829137756');
    expect(gone.end).toEqual({ kind: 'disconnected' });
  });

  it('refuses a channel with no number, so the case waits instead of failing', async () => {
    const { client, requests } = recordingClient();
    const texts = { keep: async () => {}, read: async () => undefined };
    const sender = new ConnectMessageSender(client, texts, {
      instanceId: 'i',
      flowId: 'f',
      sources: { SMS },
    });
    await expect(
      sender.send({ id: 'x', ticket: 't', channel: 'WHATSAPP', to: '+5076', language: 'en', text: 'x' }),
    ).rejects.toBeInstanceOf(MessagingUnavailableError);
    expect(requests).toEqual([]);
  });

  it("starts a follow-up task on the department's queue, the task id as idempotency token", async () => {
    const { client, requests } = recordingClient();
    const sink = new ConnectTaskSink(client, {
      instanceId: 'inst-1',
      flowId: 'flow-task',
      queues: new QueueMap([['arn:aws:connect:us-east-1:111122223333:instance/i/queue/q-tax', 'tax']]),
    });
    const task: FollowUpTask = {
      id: 'followup:2026-12-01:4829137756',
      date: '2026-12-01',
      ticket: '4829137756',
      departmentId: 'tax',
      topicId: 'payment-plan',
      reason: 'overdue',
      status: 'OPEN',
      dueAt: '2026-11-30T22:00:00.000Z',
      name: 'Trámite 4829137756 vencido (Arreglo de pago)',
      description: 'Estado OPEN; vencía 2026-11-30T22:00:00.000Z. Contacte al ciudadano.',
    };
    await sink.create(task);
    expect(requests[0]).toEqual({
      path: '/contact/task',
      body: expect.objectContaining({
        InstanceId: 'inst-1',
        ContactFlowId: 'flow-task',
        ClientToken: task.id,
        Name: task.name,
        Attributes: {
          ticket: '4829137756',
          reason: 'overdue',
          department: 'tax',
          queueArn: 'arn:aws:connect:us-east-1:111122223333:instance/i/queue/q-tax',
        },
      }),
    });
  });
});

describe('exchange bucket keys', () => {
  it('files an export under its date and department', () => {
    expect(exportKeys('2026-12-01', 'tax', 'export:tax:2026-12-01')).toEqual({
      csv: 'exports/2026-12-01/tax/export-tax-2026-12-01.csv',
      json: 'exports/2026-12-01/tax/export-tax-2026-12-01.json',
    });
  });

  it("reads an answers file's department and dry run from its key, and nothing else as one", () => {
    expect(importOf('imports/tax/respuestas 1.csv')).toEqual({
      department: 'tax',
      dryRun: false,
      report: 'reports/tax/respuestas 1.report.json',
    });
    expect(importOf('imports/tax/dry-run/r.CSV')).toMatchObject({
      dryRun: true,
      report: 'reports/tax/dry-run/r.report.json',
    });
    for (const key of ['imports/r.csv', 'imports/tax/r.xlsx', 'exports/tax/r.csv', 'imports/tax/a/b/r.csv'])
      expect(importOf(key)).toBeUndefined();
  });
});
