import { loadRuntime } from '../../shared/runtime/runtime';
import { makeMetricsAggregatorHandler } from './function';

/** The AWS entry: the function built once, at cold start, from its environment. */
export const handler = makeMetricsAggregatorHandler(
  loadRuntime(process.env, { service: 'metrics-aggregator', dir: __dirname, requestTimeoutMs: 2000 }),
);
