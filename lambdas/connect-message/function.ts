import { stringMap } from '../../shared/adapters/connect/response';
import { DynamoMessageTexts } from '../../shared/adapters/dynamodb/message-texts';
import { messageText } from '../../shared/domain/messaging';
import { connectHandler } from '../../shared/runtime/connect-runtime';
import { need, type Runtime } from '../../shared/runtime/runtime';

/**
 * The outbound message's text, for the flow that says it. Parameter: `messageRef` (the message's id, the only
 * thing the contact carries). Answers `outcome` OK and `text` — for the number the contact goes to only —
 * or NOT_FOUND; the flow says the text and keeps nothing of it.
 */
export function makeConnectMessageHandler(runtime: Runtime) {
  const texts = new DynamoMessageTexts(
    runtime.doc,
    need(runtime.settings, 'citizensTable'),
    runtime.clock.now,
  );
  return connectHandler(runtime, async (invocation) =>
    stringMap('OK', {
      text: await messageText(
        texts,
        invocation.parameters.messageRef ?? '',
        invocation.customerAddress?.address,
      ),
    }),
  );
}
