import { CreateStreamCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { startCountingProxy, type CountingProxy } from '../../bench/counting-proxy';
import { startKinesalite, type LocalKinesis } from '../../local/kinesalite';
import { pollKinesis, type OnFailureEntry } from '../../local/pollers';
import { createKinesisClient } from '../../shared/adapters/kinesis/publisher';

let kinesis: LocalKinesis;
beforeAll(async () => {
  kinesis = await startKinesalite();
});
afterAll(() => kinesis.stop());

let streams = 0;
/** A stream of its own with `n` records on two shards; their payloads are their numbers. */
async function streamOf(n: number): Promise<string> {
  const name = `pollers-${++streams}`;
  const client = createKinesisClient({ endpoint: kinesis.endpoint });
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2 }));
  for (let i = 0; i < n; i += 500)
    await client.send(
      new PutRecordsCommand({
        StreamName: name,
        Records: Array.from({ length: Math.min(500, n - i) }, (_, j) => ({
          Data: Buffer.from(String(i + j)),
          PartitionKey: `k${(i + j) % 37}`,
        })),
      }),
    );
  client.destroy();
  return name;
}
const numberOf = (r: unknown) =>
  Number(Buffer.from((r as { kinesis: { data: string } }).kinesis.data, 'base64').toString());
const quiet = () => jest.spyOn(process.stderr, 'write').mockImplementation(() => true);

async function until(check: () => boolean, ms = 20_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the local Kinesis poller, between the stream and a handler through a faulty link', () => {
  let proxy: CountingProxy;
  afterEach(() => proxy?.close());

  it('delivers 2,000 records exactly once when reads fail now and then: each shard resumes after its checkpoint', async () => {
    const name = await streamOf(2000);
    // The 3rd, 7th and 12th GetRecords answer "iterator expired", as Kinesis does after five minutes.
    proxy = await startCountingProxy(kinesis.endpoint, (operation, count) =>
      operation === 'GetRecords' && [3, 7, 12].includes(count)
        ? { status: 400, body: { __type: 'ExpiredIteratorException', message: 'Iterator expired' } }
        : undefined,
    );
    const client = createKinesisClient({ endpoint: proxy.endpoint });
    const seen = new Map<number, number>();
    const spy = quiet();
    const poller = pollKinesis(
      client,
      name,
      async ({ Records }) => {
        for (const r of Records) seen.set(numberOf(r), (seen.get(numberOf(r)) ?? 0) + 1);
      },
      { batchSize: 100, idleMs: 20 },
    );
    try {
      await until(() => seen.size === 2000);
      // A moment more: nothing comes twice.
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await poller.stop();
      spy.mockRestore();
      client.destroy();
    }
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(seen.size).toBe(2000);
    expect(proxy.counts.get('GetRecords')).toBeGreaterThan(12);
  }, 60_000);

  it('keeps a batch that fails every retry in the on-failure store with its reason, says so, and goes on', async () => {
    const name = await streamOf(300);
    proxy = await startCountingProxy(kinesis.endpoint);
    const client = createKinesisClient({ endpoint: proxy.endpoint });
    const failed: OnFailureEntry[] = [];
    const handled = new Set<number>();
    const spy = quiet();
    const poller = pollKinesis(
      client,
      name,
      async ({ Records }) => {
        // A poison record: 150 always fails; the handler reports it (and what follows it) as failed.
        const at = Records.findIndex((r) => numberOf(r) === 150);
        Records.slice(0, at < 0 ? undefined : at).forEach((r) => handled.add(numberOf(r)));
        if (at >= 0) {
          const { sequenceNumber } = (Records[at] as { kinesis: { sequenceNumber: string } }).kinesis;
          return { batchItemFailures: [{ itemIdentifier: sequenceNumber }] };
        }
        return { batchItemFailures: [] };
      },
      { batchSize: 50, idleMs: 20, retryAttempts: 2, onFailure: (e) => failed.push(e) },
    );
    try {
      await until(() => failed.length === 1 && handled.size >= 299 - failed[0]!.records.length + 1);
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await poller.stop();
      spy.mockRestore();
      client.destroy();
    }
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ reason: 'partial batch failure', attempts: 3 });
    const kept = failed[0]!.records.map(numberOf);
    expect(kept[0]).toBe(150);
    // Every record is either handled or kept, and none both.
    for (let i = 0; i < 300; i++) expect(handled.has(i) !== kept.includes(i)).toBe(true);
  }, 60_000);
});
