import { loadRuntime } from '../../shared/runtime/runtime';
import { makeConnectLookupHandler } from './function';

/** The AWS entry: the function built once, at cold start, from its environment. */
export const handler = makeConnectLookupHandler(
  loadRuntime(process.env, { service: 'connect-lookup', dir: __dirname }),
);
