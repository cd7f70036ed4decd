import { createKinesisClient, KinesisPublisher } from '../../shared/adapters/kinesis/publisher';
import { loadRuntime, need } from '../../shared/runtime/runtime';
import { makeCaseEventsHandler } from './function';

/** The AWS entry: the function built once, at cold start, from its environment. */
const runtime = loadRuntime(process.env, { service: 'case-events', dir: __dirname });
const { settings } = runtime;
export const handler = makeCaseEventsHandler(runtime, {
  publisher: new KinesisPublisher(
    createKinesisClient({
      ...(settings.kinesisEndpoint ? { endpoint: settings.kinesisEndpoint } : {}),
      ...(settings.region ? { region: settings.region } : {}),
    }),
    need(settings, 'eventStream'),
  ),
});
