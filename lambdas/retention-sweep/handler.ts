import { loadRuntime } from '../../shared/runtime/runtime';
import { makeRetentionSweepHandler } from './function';

/** The AWS entry: the function built once, at cold start, from its environment. */
const runtime = loadRuntime(process.env, {
  service: 'retention-sweep',
  dir: __dirname,
  requestTimeoutMs: 5000,
});
export const handler = makeRetentionSweepHandler(runtime);
