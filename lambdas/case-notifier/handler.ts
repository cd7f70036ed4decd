import { ConnectClient } from '@aws-sdk/client-connect';
import { ConnectMessageSender } from '../../shared/adapters/connect/outbound';
import { DynamoMessageTexts } from '../../shared/adapters/dynamodb/message-texts';
import { DynamoOutbox } from '../../shared/adapters/dynamodb/outbox';
import { loadRuntime, need } from '../../shared/runtime/runtime';
import { makeCaseNotifierHandler } from './function';

/** The AWS entry: the function built once, at cold start, from its environment. */
const runtime = loadRuntime(process.env, {
  service: 'case-notifier',
  dir: __dirname,
  requestTimeoutMs: 2000,
});
const { settings } = runtime;
export const handler = makeCaseNotifierHandler(runtime, {
  // In AWS, Connect's outbound SMS/WhatsApp chats; without an instance (locally), the outbox (GET /outbox).
  sender: settings.connectInstanceId
    ? new ConnectMessageSender(
        new ConnectClient({}),
        new DynamoMessageTexts(
          runtime.doc,
          need(settings, 'citizensTable'),
          runtime.clock.now,
          runtime.config.deployment.retention.message.days * 24,
        ),
        {
          instanceId: settings.connectInstanceId,
          flowId: need(settings, 'outboundFlowId'),
          sources: settings.messagingSources,
        },
      )
    : new DynamoOutbox(runtime.doc, need(settings, 'casesTable')),
});
