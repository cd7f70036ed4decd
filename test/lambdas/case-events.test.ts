import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { parseKinesisRecord } from '../../shared/adapters/connect/stream-records';
import { DynamoCaseRepository } from '../../shared/adapters/dynamodb/case-repository';
import { DynamoCitizenRepository } from '../../shared/adapters/dynamodb/citizen-repository';
import { createKinesisClient, KinesisPublisher } from '../../shared/adapters/kinesis/publisher';
import { createLogger } from '../../shared/runtime/logger';
import { makeCaseEventsHandler } from '../../lambdas/case-events/function';
import { tableStreamRecords } from '../support/dynamo';
import { withCapturedLogs } from '../support/logs';
import { parseTicket } from '../../shared/domain/ticket';
import { changeCaseStatus } from '../../shared/domain/use-cases';
import { startKinesalite, type LocalKinesis } from '../../local/kinesalite';
import { connectEvent, loadConnectHandlers } from '../support/connect';

let kinesis: LocalKinesis;
afterAll(() => kinesis?.stop());

describe('case events', () => {
  it('publishes created, appended and transitioned from the cases table stream to the event stream', async () => {
    kinesis = await startKinesalite();
    const client = createKinesisClient({ endpoint: kinesis.endpoint });
    await client.send(new CreateStreamCommand({ StreamName: 'events', ShardCount: 1 }));
    const store = await loadConnectHandlers();
    const phone = '+50766660001';
    const created = await store.createCase(
      connectEvent('voice-inbound-docs', { phone, parameters: { topic: 'complaint' } }),
    );
    await store.createCase(connectEvent('chat-sms', { phone, parameters: { topic: 'complaint' } }));
    const cases = new DynamoCaseRepository(store.doc, store.names);
    const citizens = new DynamoCitizenRepository(store.doc, store.names.citizens);
    await changeCaseStatus(
      { cases, citizens, clock: { now: () => new Date() } },
      parseTicket(created.ticket!),
      {
        to: 'PENDING_RESPONSE',
        actor: { id: 'export', role: 'backoffice' },
      },
    );

    const records = await tableStreamRecords(store.doc as unknown as DynamoDBClient, store.names.cases);
    const handler = makeCaseEventsHandler(
      { logger: createLogger('case-events') },
      { publisher: new KinesisPublisher(client, 'events') },
    );
    const quiet = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await handler({ Records: records })).toEqual({ batchItemFailures: [] });
    } finally {
      quiet.mockRestore();
    }

    const { Shards } = await client.send(new ListShardsCommand({ StreamName: 'events' }));
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({
        StreamName: 'events',
        ShardId: Shards![0]!.ShardId!,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const out = await client.send(new GetRecordsCommand({ ShardIterator }));
    const events = (out.Records ?? []).map((r, i) =>
      parseKinesisRecord({
        kinesis: { data: Buffer.from(r.Data!).toString('base64'), sequenceNumber: String(i) },
      }),
    );
    const summary = events.map((e) =>
      e.status === 'event' && e.event.kind === 'case-event' ? [e.event.type, e.event.channel] : e.status,
    );
    expect(summary).toEqual([
      ['created', 'VOICE'],
      ['appended', 'SMS'],
      ['transitioned', 'VOICE'],
    ]);
    client.destroy();
  });
});

describe('case events it cannot publish', () => {
  it('logs a change that should have been an event but lacks what the figures are keyed by, and goes on', async () => {
    const published: unknown[] = [];
    const handler = makeCaseEventsHandler(
      { logger: createLogger('case-events', 'INFO') },
      { publisher: { publish: async (records) => void published.push(...records) } },
    );
    const { result, logs } = await withCapturedLogs(() =>
      handler({
        Records: [
          {
            eventName: 'INSERT',
            dynamodb: {
              SequenceNumber: '11',
              NewImage: { type: { S: 'CASE_CONTACT' }, ticket: { S: '4829137756' }, contactId: { S: 'c-1' } },
            },
          },
          // An audit item is not an event, and not a skip either.
          { eventName: 'INSERT', dynamodb: { SequenceNumber: '12', NewImage: { type: { S: 'AUDIT' } } } },
        ],
      }),
    );
    expect(result).toEqual({ batchItemFailures: [] });
    expect(published).toEqual([]);
    const skipped = logs.filter((l) => l.message === 'record skipped');
    expect(skipped).toEqual([
      expect.objectContaining({ sequenceNumber: '11', reason: 'a contact link without topic or department' }),
    ]);
  });
});
