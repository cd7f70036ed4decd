import { endpointIdentity } from '../../shared/adapters/connect/event';
import { stringMap } from '../../shared/adapters/connect/response';
import { DynamoCallbackStore } from '../../shared/adapters/dynamodb/callback-store';
import { CallbackDesk, type CallbackContacts } from '../../shared/domain/callbacks';
import { ConfigError, ValidationError } from '../../shared/domain/errors';
import { maskIdentity } from '../../shared/domain/identity';
import { connectHandler } from '../../shared/runtime/connect-runtime';
import { storeTables, type Runtime } from '../../shared/runtime/runtime';

/**
 * Queued callbacks from the voice flow (`action` parameter): `check` — is one pending for the number the
 * caller calls from; `request` — one for the caller's number, or the one they keyed (`keyed`), waiting in
 * `queue` (one pending per number: a second request answers `pending`); `cancel` — the caller's pending one,
 * and Connect asked to stop its contact. The number goes back only as `callbackNumber` for the flow's Set
 * callback number block and its last four digits to read out: nothing personal in the contact's attributes.
 */
export function makeConnectCallbacksHandler(runtime: Runtime, ports: { contacts: CallbackContacts }) {
  const { deployment } = runtime.config;
  const settings = deployment.callbacks;
  if (!settings) throw new ConfigError('deployment', 'callbacks', 'the deployment offers no callbacks');
  const desk = new CallbackDesk({
    store: new DynamoCallbackStore(runtime.doc, storeTables(runtime).citizens),
    contacts: ports.contacts,
    clock: runtime.clock,
    settings,
    country: deployment.country,
  });
  return connectHandler(runtime, async (invocation) => {
    const identity = endpointIdentity(invocation);
    if (identity) runtime.logger.appendKeys({ caller: maskIdentity(identity) });
    const caller = identity?.kind === 'PHONE' ? identity.value : undefined;
    const p = invocation.parameters;
    switch (p.action) {
      case 'check':
        return stringMap('OK', { pending: Boolean(await desk.pending(caller)) });
      case 'request': {
        const asked = await desk.request({
          contactId: invocation.contactId,
          ...(caller ? { callerNumber: caller } : {}),
          ...(p.keyed ? { keyed: p.keyed } : {}),
          queue: p.queue ?? '',
          ...(p.topic ? { topic: p.topic } : {}),
        });
        return stringMap('OK', {
          result: asked.outcome,
          callbackNumber: asked.callback.number,
          numberEnding: asked.callback.number.slice(-4).split('').join(' '),
        });
      }
      case 'cancel':
        return stringMap('OK', { cancelled: await desk.cancel(caller) });
      default:
        throw new ValidationError('action', 'must be check, request or cancel');
    }
  });
}
