import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { randomUUID } from 'node:crypto';
import { EVENT_STREAM, localQueue, startLocalStack } from '../../infra/local/stack';
import { connectEvent } from '../support/connect';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack;

beforeAll(async () => {
  stack = await startLocalStack({
    configDir: 'config/city-hall',
    dynamoEndpoint: process.env.TEST_DYNAMO_ENDPOINT!,
    tablePrefix: `l${randomUUID().slice(0, 8)}-`,
    port: 0,
  });
}, 60_000);
afterAll(() => stack?.stop());

const liveView = async () => {
  const res = await fetch(`${stack.url}/api/metrics/live`, {
    headers: { authorization: `Bearer ${stack.token}` },
  });
  return (await res.json()) as {
    queues: { queue: string; waiting: number }[];
    cases: Record<string, Record<string, number>>;
  };
};
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('local stack', () => {
  it('refuses the API without the session token', async () => {
    const res = await fetch(`${stack.url}/api/metrics/live`);
    expect(res.status).toBe(401);
  });

  it('shows a contact queued on the stream through the API within two seconds', async () => {
    const started = Date.now();
    await stack.kinesis.send(
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
      const result = (await stack.handlers.createCase(
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
