import { loadRuntime } from '../../shared/runtime/runtime';
import { makeConnectConsentHandler } from './function';

/** The AWS entry: the function built once, at cold start, from its environment. */
export const handler = makeConnectConsentHandler(
  loadRuntime(process.env, { service: 'connect-consent', dir: __dirname }),
);
