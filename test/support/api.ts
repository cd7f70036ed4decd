import { loadConfig } from '../../shared/config/load';
import { demoPasswords } from '../../local/passwords';
import { loadUsers } from '../../local/session';
import { createRuntime } from '../../shared/runtime/runtime';
import { makeApiHandler } from '../../lambdas/api/function';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client';
import { freshTables, testDynamoEndpoint } from './dynamo';
import type { StaffDirectory } from '../../shared/domain/staff';
import type { Clock } from '../../shared/domain/ports';
import type { EligibilityCheck } from '../../shared/domain/eligibility';
import type { FileStore } from '../../shared/domain/documents';

type Handler = (
  event: unknown,
) => Promise<{ statusCode: number; headers?: Record<string, string>; body: string }>;

/**
 * The staff API composed on the given tables as at a cold start in Lambda, with a staff store in memory (the
 * deployment's users) for the pool.
 */
export async function loadApiHandler(
  names: { metrics: string; cases: string; citizens: string },
  queues: readonly (readonly [string, string])[] = [],
  staff: StaffDirectory = demoPasswords(loadUsers('config/city-hall')).store,
  clock?: Clock,
  eligibility?: EligibilityCheck,
  files?: FileStore,
): Promise<Handler> {
  const runtime = createRuntime({
    service: 'api',
    config: loadConfig('config/city-hall'),
    doc: createDocumentClient({ endpoint: testDynamoEndpoint(), requestTimeoutMs: 2000 }),
    settings: {
      metricsTable: names.metrics,
      casesTable: names.cases,
      citizensTable: names.citizens,
      queueDepartments: queues,
    },
    ...(clock ? { clock } : {}),
  });
  return makeApiHandler(runtime, {
    staff,
    ...(eligibility ? { eligibility } : {}),
    ...(files ? { files } : {}),
  });
}

/** Fresh tables and the staff API on them at a test's clock (the deployment's users): the tables, for scans. */
export async function apiOnFreshTables(clock: Clock) {
  const tables = await freshTables();
  return { tables, api: apiCaller(await loadApiHandler(tables.names, [], undefined, clock)) };
}

export interface CallOptions {
  method?: string;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  user?: string;
  departments?: string;
  /** A claim a user might forge in their own attributes: it must count for nothing. */
  forgedDepartments?: string;
  /** The client's address, as API Gateway would see it. */
  from?: string;
}
export type ApiCall = (
  path: string,
  groups: string,
  options?: CallOptions,
) => Promise<{ status: number; headers: Record<string, string>; body: any; text: string }>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Calls the handler as API Gateway would for a signed-in user of the given groups ("[agent]"); quiet logs. */
export function apiCaller(handler: Handler): ApiCall {
  return async (path, groups, options = {}) => {
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const response = await handler({
        rawPath: path,
        queryStringParameters: options.query ?? {},
        headers: options.headers ?? {},
        ...(options.body !== undefined
          ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }
          : {}),
        requestContext: {
          http: { method: options.method ?? 'GET', ...(options.from ? { sourceIp: options.from } : {}) },
          authorizer: {
            jwt: {
              claims: {
                sub: options.user ?? 'user-1',
                'cognito:groups': options.departments
                  ? `${groups.replace(/\]$/, '')} ${options.departments
                      .split(',')
                      .map((d) => `department-${d}`)
                      .join(' ')}]`
                  : groups,
                ...(options.forgedDepartments ? { 'custom:departments': options.forgedDepartments } : {}),
              },
            },
          },
        },
      });
      const headers = response.headers ?? {};
      // JSON is parsed; a document (an HTML export) is left as text.
      const isJson = !headers['content-type'] || headers['content-type'].startsWith('application/json');
      return {
        status: response.statusCode,
        headers,
        body: isJson ? JSON.parse(response.body) : undefined,
        text: response.body,
      };
    } finally {
      spy.mockRestore();
    }
  };
}

/** A case transition as a client makes it: read the case, then change it on the version read (If-Match). */
export async function transition(
  call: ApiCall,
  ticket: string,
  groups: string,
  body: Record<string, unknown>,
) {
  const read = await call(`/cases/${ticket}`, groups);
  return call(`/cases/${ticket}/transitions`, groups, {
    method: 'POST',
    headers: { 'if-match': read.headers.etag ?? '' },
    body,
  });
}
