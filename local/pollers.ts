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
}

/** Records given up on, as the on-failure destination would keep them. */
export const onFailureStore: { source: string; records: unknown[]; reason: string }[] = [];

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
      onFailureStore.push({ source, records: batch, reason });
      return;
    }
    await new Promise((r) => setTimeout(r, 50 * 2 ** Math.min(attempt, 5)));
  }
}

interface ShardSource<R> {
  readonly name: string;
  shards(): Promise<string[]>;
  /** An iterator at the start of what the shard still holds. */
  start(shard: string): Promise<string | undefined>;
  read(iterator: string, limit: number, shard: string): Promise<{ records: R[]; next?: string }>;
  idOf(record: R): string;
}

/** Reads every shard of a source in order and hands each page to `deliver`, until stopped. */
function pollShards<R>(
  source: ShardSource<R>,
  handler: BatchHandler,
  options: PollerOptions,
  idleMs: number,
) {
  let stopped = false;
  const run = async () => {
    await Promise.all(
      (await source.shards()).map(async (shard) => {
        let iterator = await source.start(shard);
        while (!stopped && iterator) {
          const page = await source.read(iterator, options.batchSize ?? 500, shard);
          iterator = page.next;
          if (page.records.length)
            await deliver(source.name, page.records, (r) => source.idOf(r as R), handler, options);
          else await new Promise((r) => setTimeout(r, options.idleMs ?? idleMs));
        }
      }),
    );
  };
  const done = keepRunning(run, () => stopped, source.name);
  return {
    done,
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
    start: async (shard) =>
      (
        await client.send(
          new GetShardIteratorCommand({
            StreamName: streamName,
            ShardId: shard,
            ShardIteratorType: 'TRIM_HORIZON',
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
  const iterator = async (shard: string, type: 'TRIM_HORIZON' | 'LATEST') =>
    (
      await client.send(
        new GetStreamIteratorCommand({ StreamArn: streamArn, ShardId: shard, ShardIteratorType: type }),
      )
    ).ShardIterator;
  const source: ShardSource<StreamRecord> = {
    name: `dynamodb:${streamArn}`,
    shards: async () =>
      (
        (await client.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription?.Shards ??
        []
      ).map((s) => s.ShardId!),
    start: async (shard) => {
      try {
        return await iterator(shard, 'TRIM_HORIZON');
      } catch (error) {
        // DynamoDB Local answers TRIM_HORIZON on a stream with nothing in it yet this way.
        if ((error as Error).name !== 'TrimmedDataAccessException') throw error;
        return iterator(shard, 'LATEST');
      }
    },
    read: async (shardIterator, limit, shard) => {
      let page;
      try {
        page = await client.send(new GetStreamRecordsCommand({ ShardIterator: shardIterator, Limit: limit }));
      } catch (error) {
        // DynamoDB Local answers reads of a stream that has nothing yet this way: look again from the start.
        if ((error as Error).name !== 'TrimmedDataAccessException') throw error;
        await new Promise((r) => setTimeout(r, options.idleMs ?? 100));
        return { records: [], next: await source.start(shard) };
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

/** A poller that fails (the service went away for a moment) says so and starts over; it never crashes the process. */
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
