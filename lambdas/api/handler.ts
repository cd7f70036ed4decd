import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { randomInt, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DynamoCaseRepository } from '../../shared/adapters/dynamodb/case-repository';
import { DynamoCitizenRepository } from '../../shared/adapters/dynamodb/citizen-repository';
import { DynamoCitizenLinks } from '../../shared/adapters/dynamodb/citizen-links';
import { workbenchRoutes } from '../../shared/adapters/http/workbench-routes';
import { adminRoutes } from '../../shared/adapters/http/admin-routes';
import { CognitoStaffDirectory } from '../../shared/adapters/cognito/staff-directory';
import { FileStaffDirectory } from '../../shared/adapters/file/staff-directory';
import type { StaffDirectory } from '../../shared/domain/staff';
import { backOfficeRoutes } from '../../shared/adapters/http/backoffice-routes';
import { DynamoBackOfficeStore } from '../../shared/adapters/dynamodb/backoffice-store';
import { DynamoMetricsStore } from '../../shared/adapters/dynamodb/metrics-store';
import { parseApiEvent, route, type Route } from '../../shared/adapters/http/api';
import { DynamoOutbox, DynamoTaskOutbox } from '../../shared/adapters/dynamodb/outbox';
import { metricsRoutes } from '../../shared/adapters/http/metrics-routes';
import { readCompiledConfig } from '../../shared/config/compiled';
import { DEFAULT_DASHBOARD } from '../../shared/domain/deployment';
import { documentClientFromEnv } from '../../shared/runtime/dynamodb';
import { ENV, required } from '../../shared/runtime/env';
import { createLogger } from '../../shared/runtime/logger';

/** The staff HTTP API: parse → route (role checked) → JSON. Metrics, and the case workbench. */
const env = process.env;
const { calendar, deployment, catalogue } = readCompiledConfig(
  env[ENV.CONFIG_FILE] ?? join(__dirname, 'config.json'),
);
const logger = createLogger('api');
const doc = documentClientFromEnv(env, { requestTimeoutMs: 2000 });
const queues = new Map(JSON.parse(env[ENV.QUEUE_DEPARTMENTS] ?? '[]') as [string, string][]);
const tables = { cases: required(env, ENV.CASES_TABLE), citizens: required(env, ENV.CITIZENS_TABLE) };
const cases = new DynamoCaseRepository(doc, tables);
const citizens = new DynamoCitizenRepository(doc, tables.citizens);
const core = {
  citizens,
  cases,
  notes: cases,
  links: new DynamoCitizenLinks(doc, tables),
  clock: { now: () => new Date() },
  random: () => randomInt(0, 2 ** 47) / 2 ** 47,
  newId: randomUUID,
  calendar,
  catalogue,
  deployment,
};
const metrics = metricsRoutes({
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

const backOffice = backOfficeRoutes({
  store: new DynamoBackOfficeStore(doc, tables),
  catalogue,
  now: () => new Date(),
  localDate: (at) => calendar.local(at).date,
});
const outbox = new DynamoOutbox(doc, tables.cases);
/** Locally, what would have been sent by SMS or WhatsApp. */
const outboxRoute: Route = {
  method: 'GET',
  path: '/outbox',
  roles: ['supervisor', 'admin'],
  handle: async () => ({ items: await outbox.list() }),
};
const tasks = new DynamoTaskOutbox(doc, tables.cases);
/** Locally, the follow-up tasks agents would have been handed in Connect. */
const tasksRoute: Route = {
  method: 'GET',
  path: '/tasks',
  roles: ['supervisor', 'admin'],
  handle: async () => ({ items: await tasks.list() }),
};
const staff: StaffDirectory = env[ENV.USER_POOL_ID]
  ? new CognitoStaffDirectory(new CognitoIdentityProviderClient({}), required(env, ENV.USER_POOL_ID))
  : new FileStaffDirectory(required(env, ENV.STAFF_FILE));
const admin = adminRoutes({ staff, deployment, catalogue: catalogue.entries });
const routes = [...metrics, ...workbenchRoutes(core), ...backOffice, ...admin, outboxRoute, tasksRoute];

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
