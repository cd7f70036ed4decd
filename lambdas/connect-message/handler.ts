import { loadRuntime } from '../../shared/runtime/runtime';
import { makeConnectMessageHandler } from './function';

/** The AWS entry: the function built once, at cold start, from its environment. */
export const handler = makeConnectMessageHandler(
  loadRuntime(process.env, { service: 'connect-message', dir: __dirname }),
);
