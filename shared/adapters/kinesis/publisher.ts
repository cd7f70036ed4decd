import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface StreamPublisher {
  /** Puts every record or throws; records Kinesis refused are resent a few times first. */
  publish(records: readonly { partitionKey: string; data: unknown }[]): Promise<void>;
}

/** A Kinesis client that speaks HTTP/1.1 (what kinesalite serves locally; fine for AWS too). */
export function createKinesisClient(options: { endpoint?: string; region?: string } = {}): KinesisClient {
  return new KinesisClient({
    region: options.region ?? 'us-east-1',
    ...(options.endpoint
      ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 1000,
      requestTimeout: 3000,
      throwOnRequestTimeout: true,
    }),
    maxAttempts: 3,
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class KinesisPublisher implements StreamPublisher {
  constructor(
    private readonly client: KinesisClient,
    private readonly streamName: string,
  ) {}

  async publish(records: readonly { partitionKey: string; data: unknown }[]): Promise<void> {
    for (let i = 0; i < records.length; i += 500) {
      let pending = records.slice(i, i + 500).map((r) => ({
        PartitionKey: r.partitionKey,
        Data: Buffer.from(JSON.stringify(r.data)),
      }));
      for (let attempt = 0; pending.length; attempt++) {
        if (attempt > 4) throw new Error(`${pending.length} records still refused by the stream`);
        if (attempt) await sleep(50 * 2 ** attempt);
        const out = await this.client.send(
          new PutRecordsCommand({ StreamName: this.streamName, Records: pending }),
        );
        pending = pending.filter((_, j) => out.Records?.[j]?.ErrorCode);
      }
    }
  }
}
