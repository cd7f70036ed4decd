import { loadRuntime } from '../../shared/runtime/runtime';
import { messageSenderOf } from '../../shared/runtime/message-sender';
import { makeCaseNotifierHandler } from './function';

/** The AWS entry: the function built once, at cold start, from its environment. */
const runtime = loadRuntime(process.env, {
  service: 'case-notifier',
  dir: __dirname,
  requestTimeoutMs: 2000,
});
export const handler = makeCaseNotifierHandler(runtime, { sender: messageSenderOf(runtime) });
