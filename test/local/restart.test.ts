import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { until } from '../support/until';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_STREAM, startLocalBackEnd } from '../../local/back-end';
import { localQueue } from '../../local/contact-center';
import { agentEvent, contactEvent, LOCAL_INSTANCE } from '../../local/simulator/connect-records';
import { testDynamoEndpoint } from '../support/dynamo';

type BackEnd = Awaited<ReturnType<typeof startLocalBackEnd>>;
interface Live {
  queues: { queue: string; waiting: number }[];
  agents: Record<string, number>;
}

const get = async <T>(backEnd: BackEnd, path: string) =>
  (await (
    await fetch(`${backEnd.url}/api${path}`, { headers: { authorization: `Bearer ${backEnd.token}` } })
  ).json()) as T;
const waiting = (l: Live) => l.queues.reduce((n, q) => n + q.waiting, 0);
const loggedIn = (l: Live) =>
  Object.entries(l.agents).reduce((n, [s, c]) => (s === 'OFFLINE' ? n : n + c), 0);

describe('a start on the data an earlier start left', () => {
  it('goes on from the stream and checkpoints it kept, and ends the contacts and agents the earlier process left live', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ventanilla-restart-'));
    const options = {
      configDir: 'config/city-hall',
      dynamoEndpoint: testDynamoEndpoint(),
      tablePrefix: `r${randomUUID().slice(0, 8)}-`,
      port: 0,
      dataDir: dir,
      logLevel: 'ERROR' as const,
    };
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let backEnd: BackEnd | undefined;
    try {
      backEnd = await startLocalBackEnd(options);
      // Three callers waiting and an agent logged in, as the earlier process's routing left them.
      const now = Date.now();
      const queue = localQueue('tax');
      const agent = {
        arn: `${LOCAL_INSTANCE}/agent/ghost`,
        username: 'ghost',
        profile: { arn: `${LOCAL_INSTANCE}/routing-profile/p`, name: 'p', queues: [queue] },
      };
      const payloads = [
        ...[1, 2, 3].map((i) =>
          contactEvent(
            { contactId: `ghost-${i}`, channel: 'VOICE', initiatedAt: now - 60_000 },
            'QUEUED',
            now - 30_000,
            { queue, enqueuedAt: now - 30_000 },
          ),
        ),
        agentEvent(
          'LOGIN',
          agent,
          now - 20_000,
          1,
          { status: 'Available', statusSince: now - 20_000 },
          undefined,
        ),
      ];
      await backEnd.kinesis.send(
        new PutRecordsCommand({
          StreamName: EVENT_STREAM,
          Records: payloads.map((p, i) => ({
            PartitionKey: `ghost-${i}`,
            Data: Buffer.from(JSON.stringify(p)),
          })),
        }),
      );
      const before = await until(
        () => get<Live>(backEnd!, '/metrics/live'),
        (l) => waiting(l) === 3 && loggedIn(l) === 1,
      );
      expect([waiting(before), loggedIn(before)]).toEqual([3, 1]);
      await backEnd.stop();
      backEnd = undefined;
      // The stream and its readers' places were kept in the data folder.
      expect(existsSync(join(dir, 'kinesis'))).toBe(true);
      const kept = JSON.parse(readFileSync(join(dir, 'checkpoints-events.json'), 'utf8')) as Record<
        string,
        string
      >;
      expect(Object.keys(kept).length).toBeGreaterThan(0);

      backEnd = await startLocalBackEnd(options);
      const after = await until(
        () => get<Live>(backEnd!, '/metrics/live'),
        (l) => waiting(l) === 0 && loggedIn(l) === 0,
      );
      expect([waiting(after), loggedIn(after)]).toEqual([0, 0]);
      // Each ghost is counted once, as a contact that left the queue without an agent; nothing twice.
      const rows = await until(
        () =>
          get<{ rows: { scope: { id: string }; counters: Record<string, number> }[] }>(
            backEnd!,
            `/metrics/intervals?period=day&queue=${encodeURIComponent(queue)}`,
          ),
        (r) => r.rows.some((row) => row.scope.id === queue && row.counters.offered === 3),
      );
      const tax = rows.rows.filter((row) => row.scope.id === queue);
      expect(tax.reduce((n, row) => n + (row.counters.offered ?? 0), 0)).toBe(3);
      expect(tax.reduce((n, row) => n + (row.counters.abandoned ?? 0), 0)).toBe(3);
    } finally {
      spy.mockRestore();
      await backEnd?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
