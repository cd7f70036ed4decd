import { ConnectClient } from '@aws-sdk/client-connect';
import { ConnectCallbackContacts } from '../../shared/adapters/connect/callback-contacts';
import { loadRuntime, need } from '../../shared/runtime/runtime';
import { makeConnectCallbacksHandler } from './function';

/** The AWS entry: the function built once, at cold start, from its environment. */
const runtime = loadRuntime(process.env, { service: 'connect-callbacks', dir: __dirname });
export const handler = makeConnectCallbacksHandler(runtime, {
  contacts: new ConnectCallbackContacts(new ConnectClient({}), need(runtime.settings, 'connectInstanceId')),
});
