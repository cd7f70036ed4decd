import { ConnectClient } from '@aws-sdk/client-connect';
import { ConnectTaskSink } from '../../shared/adapters/connect/outbound';
import { QueueMap } from '../../shared/domain/departments';
import { loadRuntime, need } from '../../shared/runtime/runtime';
import { makeFollowUpHandler } from './function';

/** The AWS entry: the function built once, at cold start, from its environment. */
const runtime = loadRuntime(process.env, { service: 'follow-up', dir: __dirname, requestTimeoutMs: 5000 });
const { settings } = runtime;
export const handler = makeFollowUpHandler(runtime, {
  sink: new ConnectTaskSink(new ConnectClient({}), {
    instanceId: need(settings, 'connectInstanceId'),
    flowId: need(settings, 'followUpFlowId'),
    queues: new QueueMap(settings.queueDepartments),
  }),
});
