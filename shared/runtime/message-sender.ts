import { ConnectClient } from '@aws-sdk/client-connect';
import { ConnectMessageSender } from '../adapters/connect/outbound';
import { DynamoMessageTexts } from '../adapters/dynamodb/message-texts';
import { DynamoOutbox } from '../adapters/dynamodb/outbox';
import type { MessageSender } from '../domain/messaging';
import { need, type Runtime } from './runtime';

/**
 * Where a function's SMS and WhatsApp messages go: Connect's outbound chats in AWS (the text kept in the
 * citizens table, only its reference given to Connect); without an instance (locally), the outbox (GET /outbox).
 */
export function messageSenderOf(runtime: Runtime): MessageSender {
  const { settings } = runtime;
  return settings.connectInstanceId
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
    : new DynamoOutbox(runtime.doc, need(settings, 'casesTable'));
}
