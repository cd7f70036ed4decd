import { ConnectClient } from '@aws-sdk/client-connect';
import { QueueMap } from '../../shared/domain/departments';
import { ConnectMessageSender, ConnectTaskSink } from '../../shared/adapters/connect/outbound';
import { exportKeys, importOf } from '../../shared/adapters/s3/exchange';
import { MessagingUnavailableError } from '../../shared/domain/errors';
import type { FollowUpTask } from '../../shared/domain/follow-up';

/**
 * The Connect control plane cannot run here: a client whose HTTP handler records each request and answers as
 * Connect does, so what is checked is the request the real SDK serialises from our adapters.
 */
function recordingClient() {
  const requests: { path: string; body: Record<string, unknown> }[] = [];
  const client = new ConnectClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    requestHandler: {
      handle: async (request: { path: string; body?: unknown }) => {
        requests.push({
          path: request.path,
          body: JSON.parse(
            typeof request.body === 'string'
              ? request.body
              : new TextDecoder().decode(request.body as Uint8Array),
          ),
        });
        const { Readable } = await import('node:stream');
        return {
          response: {
            statusCode: 200,
            headers: { 'content-type': 'application/json' },
            body: Readable.from([Buffer.from(JSON.stringify({ ContactId: 'c-1' }))]),
          },
        };
      },
    },
  });
  return { client, requests };
}

const SMS = 'arn:aws:connect:us-east-1:111122223333:phone-number/4f2a9c1e-0000-4000-8000-000000000002';

describe('Connect outbound adapters', () => {
  it('sends an answer as an outbound SMS or WhatsApp chat with the message id as idempotency token', async () => {
    const { client, requests } = recordingClient();
    const sender = new ConnectMessageSender(client, {
      instanceId: 'inst-1',
      flowId: 'flow-out',
      sources: { SMS, WHATSAPP: SMS },
    });
    await sender.send({
      id: '4829137756#4',
      ticket: '4829137756',
      channel: 'WHATSAPP',
      to: '+50762223333',
      language: 'es',
      text: 'Respuesta a su trámite 4829137756: lista.',
    });
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
          Attributes: {
            ticket: '4829137756',
            message: 'Respuesta a su trámite 4829137756: lista.',
            lang: 'es',
          },
        }),
      },
    ]);
  });

  it('refuses a channel with no number, so the case waits instead of failing', async () => {
    const { client, requests } = recordingClient();
    const sender = new ConnectMessageSender(client, { instanceId: 'i', flowId: 'f', sources: { SMS } });
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
