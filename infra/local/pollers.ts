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

/** Polls every shard of a Kinesis stream (kinesalite locally) and feeds a Kinesis-event handler. */
export function pollKinesis(
  client: KinesisClient,
  streamName: string,
  handler: BatchHandler,
  options: PollerOptions = {},
) {
  let stopped = false;
  const run = async () => {
    const { Shards } = await client.send(new ListShardsCommand({ StreamName: streamName }));
    await Promise.all(
      (Shards ?? []).map(async (shard) => {
        let { ShardIterator: iterator } = await client.send(
          new GetShardIteratorCommand({
            StreamName: streamName,
            ShardId: shard.ShardId!,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        );
        while (!stopped && iterator) {
          const page = await client.send(
            new GetRecordsCommand({ ShardIterator: iterator, Limit: options.batchSize ?? 500 }),
          );
          iterator = page.NextShardIterator;
          const records = (page.Records ?? []).map((r: KinesisRecord) => ({
            eventSource: 'aws:kinesis',
            kinesis: {
              data: Buffer.from(r.Data!).toString('base64'),
              sequenceNumber: r.SequenceNumber!,
              partitionKey: r.PartitionKey!,
              approximateArrivalTimestamp: (r.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) / 1000,
            },
          }));
          if (records.length)
            await deliver(
              `kinesis:${streamName}`,
              records,
              (r) => (r as (typeof records)[number]).kinesis.sequenceNumber,
              handler,
              options,
            );
          else await new Promise((r) => setTimeout(r, options.idleMs ?? 50));
        }
      }),
    );
  };
  const done = keepRunning(run, () => stopped, `kinesis:${streamName}`);
  return {
    done,
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}

/** Polls a DynamoDB table's stream (DynamoDB Local) and feeds a DynamoDB-stream-event handler. */
export function pollTableStream(
  client: DynamoDBStreamsClient,
  streamArn: string,
  handler: BatchHandler,
  options: PollerOptions = {},
) {
  let stopped = false;
  const run = async () => {
    const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    await Promise.all(
      (StreamDescription?.Shards ?? []).map(async (shard) => {
        let { ShardIterator: iterator } = await client.send(
          new GetStreamIteratorCommand({
            StreamArn: streamArn,
            ShardId: shard.ShardId!,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        );
        while (!stopped && iterator) {
          const page = await client.send(
            new GetStreamRecordsCommand({ ShardIterator: iterator, Limit: options.batchSize ?? 500 }),
          );
          iterator = page.NextShardIterator;
          const records = (page.Records ?? []).map((r: StreamRecord) => ({
            ...r,
            eventSource: 'aws:dynamodb',
          }));
          if (records.length)
            await deliver(
              `dynamodb:${streamArn}`,
              records,
              (r) => String((r as StreamRecord).dynamodb?.SequenceNumber),
              handler,
              options,
            );
          else await new Promise((r) => setTimeout(r, options.idleMs ?? 100));
        }
      }),
    );
  };
  const done = keepRunning(run, () => stopped, `dynamodb:${streamArn}`);
  return {
    done,
    stop: async () => {
      stopped = true;
      await done;
    },
  };
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
