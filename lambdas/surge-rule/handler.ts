import { loadRuntime } from '../../shared/runtime/runtime';
import { makeSurgeRuleHandler } from './function';

/** The AWS entry: the function built once, at cold start, from its environment. */
export const handler = makeSurgeRuleHandler(
  loadRuntime(process.env, { service: 'surge-rule', dir: __dirname }),
);
