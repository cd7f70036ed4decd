import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { EVENT_STREAM, startLocalBackEnd } from '../local/back-end';
import { localQueue } from '../local/contact-center';
import { percentile, progress, report, round } from './harness';

const CONTACTS = 60;

/** From PutRecord on the stream to the figure visible through the staff API, on the local back end. */
export async function run(): Promise<void> {
  const backEnd = await startLocalBackEnd({
    configDir: 'config/city-hall',
    port: 0,
    tablePrefix: 'bench-e2e-',
  });
  try {
    const waiting = async () => {
      const res = await fetch(`${backEnd.url}/api/metrics/live`, {
        headers: { authorization: `Bearer ${backEnd.token}` },
      });
      const body = (await res.json()) as { queues: { queue: string; waiting: number }[] };
      return body.queues.find((q) => q.queue === localQueue('tax'))?.waiting ?? 0;
    };
    const samples: number[] = [];
    for (let i = 0; i < CONTACTS; i++) {
      const started = performance.now();
      await backEnd.kinesis.send(
        new PutRecordCommand({
          StreamName: EVENT_STREAM,
          PartitionKey: `e2e-${i}`,
          Data: Buffer.from(
            JSON.stringify({
              version: '0',
              id: `e2e-${i}-QUEUED`,
              'detail-type': 'Amazon Connect Contact Event',
              source: 'aws.connect',
              time: new Date().toISOString(),
              detail: {
                eventType: 'QUEUED',
                contactId: `e2e-${i}`,
                channel: 'VOICE',
                queueInfo: { queueArn: localQueue('tax') },
              },
            }),
          ),
        }),
      );
      while ((await waiting()) < i + 1) {
        if (performance.now() - started > 10_000) throw new Error(`contact ${i} not visible after 10 s`);
        await new Promise((r) => setTimeout(r, 5));
      }
      samples.push(performance.now() - started);
    }
    progress(`e2e: ${CONTACTS} contacts queued through kinesalite, the aggregator and the API`);
    report({
      name: 'metrics.e2e_ms.p95',
      value: round(percentile(samples, 95), 1),
      unit: 'ms',
      p50: round(percentile(samples, 50), 1),
      max: round(Math.max(...samples), 1),
      samples: samples.length,
      goal: '<= 1000',
    });
  } finally {
    await backEnd.stop();
  }
}
