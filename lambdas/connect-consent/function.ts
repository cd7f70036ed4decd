import { endpointIdentity } from '../../shared/adapters/connect/event';
import { stringMap } from '../../shared/adapters/connect/response';
import { DynamoMessagingConsent } from '../../shared/adapters/dynamodb/messaging-consent';
import { changeConsent } from '../../shared/domain/consent';
import { NotFoundError, ValidationError } from '../../shared/domain/errors';
import { maskIdentity } from '../../shared/domain/identity';
import { connectHandler } from '../../shared/runtime/connect-runtime';
import { need, type Runtime } from '../../shared/runtime/runtime';

/**
 * A citizen's STOP or START on SMS or WhatsApp, for the text flow. Parameter: `action`, `stop` or `start`.
 * The change is for the number the message comes from (never a number passed in) and the channel it comes
 * on. Answers `outcome` OK and `optedOut` ("true" or "false"); NOT_FOUND on a channel without a number (web
 * chat), where there are no proactive messages to stop.
 */
export function makeConnectConsentHandler(runtime: Runtime) {
  const consent = new DynamoMessagingConsent(runtime.doc, need(runtime.settings, 'citizensTable'));
  return connectHandler(runtime, async (invocation) => {
    const action = invocation.parameters.action;
    if (action !== 'stop' && action !== 'start')
      throw new ValidationError('action', 'must be "stop" or "start"');
    const identity = endpointIdentity(invocation);
    const channel = invocation.channel;
    if (identity?.kind !== 'PHONE' || (channel !== 'SMS' && channel !== 'WHATSAPP'))
      throw new NotFoundError('phone number');
    runtime.logger.appendKeys({ caller: maskIdentity(identity) });
    const state = await changeConsent(
      { consent, clock: runtime.clock },
      identity.value,
      channel,
      action === 'stop',
    );
    runtime.logger.info('consent', { channel, optedOut: state.optedOut });
    return stringMap('OK', { optedOut: state.optedOut });
  });
}
