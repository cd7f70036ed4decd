import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type KinesisClient,
  type _Record as KinesisRecord,
} from '@aws-sdk/client-kinesis';
import {
  DescribeStreamCommand,
  GetRecordsCommand as GetStreamRecordsCommand,
  GetShardIteratorCommand as GetStreamIteratorCommand,
  type DynamoDBStreamsClient,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';

type BatchHandler = (event: {
  Records: unknown[];
}) => Promise<{ batchItemFailures?: { itemIdentifier: string }[] } | void>;

export interface PollerOptions {
  readonly batchSize?: number;
  /** Retries of a failing batch before its records go to the on-failure store. Default 5, as in AWS. */
  readonly retryAttempts?: number;
  readonly idleMs?: number;
  /** Called after each batch the handler accepted (the local server refreshes the live dashboard). */
  readonly afterBatch?: () => void;
  /** Where records given up on go (the on-failure store, and a line on stderr, by default). */
  readonly onFailure?: (entry: OnFailureEntry) => void;
  /**
   * A file that keeps the checkpoints (JSON, shard → sequence number) across restarts: read at start, written
   * after each batch handed over. Absent: they live as long as the process.
   */
  readonly checkpointFile?: string;
}

/** Keeps records given up on and says so: never dropped without a trace. */
function keepFailed(entry: OnFailureEntry) {
  onFailureStore.push(entry);
  process.stderr.write(
    `poller ${entry.source}: gave up on ${entry.records.length} record(s) after ${entry.attempts} attempts ` +
      `(${entry.reason}); kept in the on-failure store\n`,
  );
}

/** Records given up on, as the on-failure destination would keep them: with the source, reason and time. */
export interface OnFailureEntry {
  readonly source: string;
  readonly records: unknown[];
  readonly reason: string;
  readonly at: string;
  readonly attempts: number;
}
export const onFailureStore: OnFailureEntry[] = [];

/**
 * Hands records to a handler as Lambda's event source mapping does: in order per shard, in batches; on a
 * partial batch failure, retry from the first failed record; on an error, retry the batch; after the
 * retries, keep the records in the on-failure store and move on.
 */
async function deliver(
  source: string,
  records: unknown[],
  idOf: (record: unknown) => string,
  handler: BatchHandler,
  options: PollerOptions,
): Promise<void> {
  let batch = records;
  for (let attempt = 0; batch.length; attempt++) {
    let failedFrom = -1;
    let reason = '';
    try {
      const result = await handler({ Records: batch });
      const first = result?.batchItemFailures?.[0]?.itemIdentifier;
      if (first !== undefined) {
        failedFrom = Math.max(
          0,
          batch.findIndex((r) => idOf(r) === first),
        );
        reason = 'partial batch failure';
      }
    } catch (error) {
      failedFrom = 0;
      reason = (error as Error)?.name ?? 'error';
    }
    if (failedFrom < 0) {
      options.afterBatch?.();
      return;
    }
    batch = batch.slice(failedFrom);
    if (attempt >= (options.retryAttempts ?? 5)) {
      (options.onFailure ?? keepFailed)({
        source,
        records: batch,
        reason,
        at: new Date().toISOString(),
        attempts: attempt + 1,
      });
      return;
    }
    await new Promise((r) => setTimeout(r, 50 * 2 ** Math.min(attempt, 5)));
  }
}

interface ShardSource<R> {
  readonly name: string;
  shards(): Promise<string[]>;
  /** An iterator at the start of what the shard still holds, or just after `after` (a sequence number). */
  start(shard: string, after?: string): Promise<string | undefined>;
  /** A page of records; `again` when the reader must start over after its checkpoint. */
  read(
    iterator: string,
    limit: number,
    shard: string,
  ): Promise<{ records: R[]; next?: string; again?: boolean }>;
  idOf(record: R): string;
}

/**
 * Reads every shard of a source in order and hands each page to `deliver`, until stopped: one reader per shard,
 * with a checkpoint (the last record handed over, whether the handler took it or it went to the on-failure
 * store). A read that fails starts that shard's reader again just after its checkpoint — never from the start
 * of the stream, and never beside a reader still going.
 */
function pollShards<R>(
  source: ShardSource<R>,
  handler: BatchHandler,
  options: PollerOptions,
  idleMs: number,
) {
  let stopped = false;
  const checkpoints = new Map<string, string>(loadCheckpoints(options.checkpointFile));
  const save = () => {
    if (options.checkpointFile) saveCheckpoints(options.checkpointFile, checkpoints);
  };
  /** Shards that have read everything there was at least once since the start. */
  const caughtUp = new Set<string>();
  let shardCount = Infinity;
  const waiters: (() => void)[] = [];
  const noteCaughtUp = (shard: string) => {
    caughtUp.add(shard);
    if (caughtUp.size >= shardCount) waiters.splice(0).forEach((w) => w());
  };
  const readShard = async (shard: string) => {
    let iterator: string | undefined;
    while (!stopped) {
      try {
        iterator ??= await source.start(shard, checkpoints.get(shard));
        if (!iterator) return;
        const page = await source.read(iterator, options.batchSize ?? 500, shard);
        iterator = page.next;
        if (page.records.length) {
          await deliver(source.name, page.records, (r) => source.idOf(r as R), handler, options);
          checkpoints.set(shard, source.idOf(page.records[page.records.length - 1]!));
          save();
        } else {
          noteCaughtUp(shard);
          await new Promise((r) => setTimeout(r, options.idleMs ?? idleMs));
        }
        // A shard closed has no next page; one read again starts just after its checkpoint.
        if (!iterator && !page.again) return;
      } catch (error) {
        if (stopped) return;
        process.stderr.write(
          `poller ${source.name}: ${(error as Error)?.name ?? 'error'} reading ${shard}; resuming after its checkpoint\n`,
        );
        iterator = undefined;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  const run = async () => {
    const shards = await source.shards();
    shardCount = shards.length;
    if (!shards.length) waiters.splice(0).forEach((w) => w());
    await Promise.all(shards.map(readShard));
  };
  const done = keepRunning(run, () => stopped, source.name);
  return {
    done,
    /** The last record handed over, per shard. */
    checkpoints: () => new Map(checkpoints),
    /** Resolves once every shard has read all it held at least once (what was there before the start is in). */
    caughtUp: () =>
      new Promise<void>((resolve) => (caughtUp.size >= shardCount ? resolve() : waiters.push(resolve))),
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}

type KinesisEventRecord = {
  eventID: string;
  kinesis: { data: string; sequenceNumber: string; partitionKey: string };
};

/** Polls every shard of a Kinesis stream (kinesalite locally) and feeds a Kinesis-event handler. */
export function pollKinesis(
  client: KinesisClient,
  streamName: string,
  handler: BatchHandler,
  options: PollerOptions = {},
) {
  const source: ShardSource<KinesisEventRecord> = {
    name: `kinesis:${streamName}`,
    shards: async () =>
      ((await client.send(new ListShardsCommand({ StreamName: streamName }))).Shards ?? []).map(
        (s) => s.ShardId!,
      ),
    start: async (shard, after) =>
      (
        await client.send(
          new GetShardIteratorCommand({
            StreamName: streamName,
            ShardId: shard,
            ...(after
              ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: after }
              : { ShardIteratorType: 'TRIM_HORIZON' }),
          }),
        )
      ).ShardIterator,
    read: async (iterator, limit, shard) => {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }));
      return {
        next: page.NextShardIterator,
        records: (page.Records ?? []).map((r: KinesisRecord) => ({
          eventSource: 'aws:kinesis',
          eventID: `${shard}:${r.SequenceNumber!}`,
          kinesis: {
            data: Buffer.from(r.Data!).toString('base64'),
            sequenceNumber: r.SequenceNumber!,
            partitionKey: r.PartitionKey!,
            approximateArrivalTimestamp: (r.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) / 1000,
          },
        })),
      };
    },
    idOf: (r) => r.kinesis.sequenceNumber,
  };
  return pollShards(source, handler, options, 50);
}

/** Polls a DynamoDB table's stream (DynamoDB Local) and feeds a DynamoDB-stream-event handler. */
export function pollTableStream(
  client: DynamoDBStreamsClient,
  streamArn: string,
  handler: BatchHandler,
  options: PollerOptions = {},
) {
  const iterator = async (
    shard: string,
    type: 'TRIM_HORIZON' | 'LATEST' | 'AFTER_SEQUENCE_NUMBER',
    after?: string,
  ) =>
    (
      await client.send(
        new GetStreamIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard,
          ShardIteratorType: type,
          ...(after ? { SequenceNumber: after } : {}),
        }),
      )
    ).ShardIterator;
  const source: ShardSource<StreamRecord> = {
    name: `dynamodb:${streamArn}`,
    shards: async () =>
      (
        (await client.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription?.Shards ??
        []
      ).map((s) => s.ShardId!),
    start: async (shard, after) => {
      if (after) return iterator(shard, 'AFTER_SEQUENCE_NUMBER', after);
      try {
        return await iterator(shard, 'TRIM_HORIZON');
      } catch (error) {
        // DynamoDB Local answers TRIM_HORIZON on a stream with nothing in it yet this way.
        if ((error as Error).name !== 'TrimmedDataAccessException') throw error;
        return iterator(shard, 'LATEST');
      }
    },
    read: async (shardIterator, limit) => {
      let page;
      try {
        page = await client.send(new GetStreamRecordsCommand({ ShardIterator: shardIterator, Limit: limit }));
      } catch (error) {
        // DynamoDB Local answers reads of a stream that has nothing yet this way: look again, after the checkpoint.
        if ((error as Error).name !== 'TrimmedDataAccessException') throw error;
        await new Promise((r) => setTimeout(r, options.idleMs ?? 100));
        return { records: [], again: true };
      }
      return {
        next: page.NextShardIterator,
        records: (page.Records ?? []).map((r: StreamRecord) => ({ ...r, eventSource: 'aws:dynamodb' })),
      };
    },
    idOf: (r) => String(r.dynamodb?.SequenceNumber),
  };
  return pollShards(source, handler, options, 100);
}

function loadCheckpoints(file: string | undefined): [string, string][] {
  if (!file) return [];
  try {
    return Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>);
  } catch {
    return []; // none yet: from the start of what the stream holds
  }
}

/** Written whole to a file beside it, then renamed over it: a crash leaves the old checkpoints or the new. */
function saveCheckpoints(file: string, checkpoints: ReadonlyMap<string, string>) {
  writeFileSync(`${file}.next`, JSON.stringify(Object.fromEntries(checkpoints)));
  renameSync(`${file}.next`, file);
}

/**
 * A poller whose shards cannot be listed (the service went away for a moment) says so and tries again; it never
 * crashes the process. (A shard's reader that fails resumes on its own, after its checkpoint.)
 */
async function keepRunning(run: () => Promise<void>, stopped: () => boolean, source: string): Promise<void> {
  while (!stopped()) {
    try {
      await run();
    } catch (error) {
      if (stopped()) return;
      process.stderr.write(`poller ${source}: ${(error as Error)?.name ?? 'error'}; restarting\n`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
