import { loadRuntime } from '../../shared/runtime/runtime';
import { makeConnectCaseStatusHandler } from './function';

/** The AWS entry: the function built once, at cold start, from its environment. */
export const handler = makeConnectCaseStatusHandler(
  loadRuntime(process.env, { service: 'connect-case-status', dir: __dirname }),
);
