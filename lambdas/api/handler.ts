import { join } from 'node:path';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client';
import { DynamoMetricsStore } from '../../shared/adapters/dynamodb/metrics-store';
import { parseApiEvent, route } from '../../shared/adapters/http/api';
import { metricsRoutes } from '../../shared/adapters/http/metrics-routes';
import { readCompiledConfig } from '../../shared/config/compiled';
import { DEFAULT_DASHBOARD } from '../../shared/domain/deployment';
import { ENV, required } from '../../shared/runtime/env';
import { createLogger } from '../../shared/runtime/logger';

/** The staff HTTP API: parse → route (role checked) → JSON. Metrics routes today; the case workbench joins. */
const env = process.env;
const { calendar, deployment, catalogue } = readCompiledConfig(
  env[ENV.CONFIG_FILE] ?? join(__dirname, 'config.json'),
);
const logger = createLogger('api');
const doc = createDocumentClient({
  ...(env[ENV.DYNAMODB_ENDPOINT] ? { endpoint: env[ENV.DYNAMODB_ENDPOINT] } : {}),
  ...(env[ENV.AWS_REGION] ? { region: env[ENV.AWS_REGION] } : {}),
  requestTimeoutMs: 2000,
});
const queues = new Map(JSON.parse(env[ENV.QUEUE_DEPARTMENTS] ?? '[]') as [string, string][]);
const routes = metricsRoutes({
  reader: new DynamoMetricsStore(doc, required(env, ENV.METRICS_TABLE), { queues }),
  clock: { now: () => new Date() },
  localDate: (at) => calendar.local(new Date(at)).date,
  deployment: {
    timeZone: deployment.timeZone,
    serviceLevelSeconds: deployment.serviceLevelSeconds,
    settings: deployment.dashboard ?? DEFAULT_DASHBOARD,
    departments: deployment.departments.map((d) => ({ id: d.id, name: d.name })),
    topics: catalogue.entries.map((t) => ({ id: t.id, name: t.name })),
    dayStart: (date) => calendar.instantAt(date, 0),
  },
});

export const handler = async (event: unknown) => {
  const request = parseApiEvent(event);
  const response = await route(routes, request);
  logger.info('request', {
    method: request.method,
    path: request.path,
    status: response.statusCode,
    user: request.user,
  });
  return response;
};
