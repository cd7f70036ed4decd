import { QueueMap } from '../../shared/domain/departments';
import { createServer, request, type Server } from 'node:http';
import { parseKinesisRecord } from '../../shared/adapters/connect/stream-records';
import { DynamoMetricsStore } from '../../shared/adapters/dynamodb/metrics-store';
import { liveEvents } from '../../shared/adapters/http/live-events';
import { aggregateBatch } from '../../shared/domain/metrics/aggregate';
import type { MetricsSettings } from '../../shared/domain/metrics/effects';
import { asKinesis } from '../support/morning';
import { freshTables } from '../support/dynamo';

const settings: MetricsSettings = {
  serviceLevelSeconds: 20,
  departmentOf: () => 'tax',
  localDate: (at) => at.slice(0, 10),
};
const queued = (contactId: string) => ({
  version: '0',
  id: `${contactId}-QUEUED`,
  'detail-type': 'Amazon Connect Contact Event',
  source: 'aws.connect',
  time: new Date().toISOString(),
  detail: {
    eventType: 'QUEUED',
    contactId,
    channel: 'VOICE',
    queueInfo: { queueArn: 'arn:queue/tax', enqueueTimestamp: new Date().toISOString() },
  },
});

describe('live events for the local dashboard', () => {
  let server: Server;
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('pushes the live view at once on connect, and again within a second of a new contact queuing', async () => {
    const { doc, names } = await freshTables();
    const store = new DynamoMetricsStore(doc, names.metrics, {
      queues: new QueueMap([['arn:queue/tax', 'tax']]),
    });
    const live = liveEvents({ reader: store, clock: { now: () => new Date() }, pollMs: 5000 });
    server = createServer((req, res) => live.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;

    const events: { waiting: number; at: number }[] = [];
    const req = request({ host: '127.0.0.1', port, path: '/' }, (res) => {
      let buffer = '';
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame.split('\n').find((l) => l.startsWith('data: '));
          if (data) events.push({ waiting: JSON.parse(data.slice(6)).queues[0].waiting, at: Date.now() });
        }
      });
    });
    req.end();
    const until = async (n: number) => {
      for (let i = 0; i < 100 && events.length < n; i++) await new Promise((r) => setTimeout(r, 20));
    };
    await until(1);
    expect(events[0]!.waiting).toBe(0);

    const sent = Date.now();
    await aggregateBatch(asKinesis([queued('c-1'), queued('c-2')]).map(parseKinesisRecord), {
      store,
      settings,
    });
    await live.refresh();
    await until(2);
    expect(events[1]!.waiting).toBe(2);
    expect(events[1]!.at - sent).toBeLessThan(1000);

    // Nothing changed: nothing is pushed.
    await live.refresh();
    await new Promise((r) => setTimeout(r, 100));
    expect(events).toHaveLength(2);
    live.close();
    req.destroy();
  });
});
