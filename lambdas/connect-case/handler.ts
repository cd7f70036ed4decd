import { loadRuntime } from '../../shared/runtime/runtime';
import { makeConnectCaseHandler } from './function';

/** The AWS entry: the function built once, at cold start, from its environment. */
export const handler = makeConnectCaseHandler(
  loadRuntime(process.env, { service: 'connect-case', dir: __dirname }),
);
