import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileConfig } from '../../shared/config/load';

type Handler = (event: unknown) => Promise<{ statusCode: number; body: string }>;

/** The staff API handler, loaded fresh and pointed at the given tables, as Lambda's environment would. */
export async function loadApiHandler(
  names: { metrics: string; cases: string; citizens: string },
  queues: readonly (readonly [string, string])[] = [],
): Promise<Handler> {
  const configFile = join(mkdtempSync(join(tmpdir(), 'ventanilla-config-')), 'config.json');
  writeFileSync(configFile, JSON.stringify(compileConfig('config/city-hall')));
  Object.assign(process.env, {
    CONFIG_FILE: configFile,
    METRICS_TABLE: names.metrics,
    CASES_TABLE: names.cases,
    CITIZENS_TABLE: names.citizens,
    DYNAMODB_ENDPOINT: process.env.TEST_DYNAMO_ENDPOINT,
    QUEUE_DEPARTMENTS: JSON.stringify(queues),
    STAFF_FILE: 'config/city-hall/users.json',
  });
  let handler: Handler | undefined;
  await jest.isolateModulesAsync(async () => {
    handler = (await import('../../lambdas/api/handler')).handler as Handler;
  });
  return handler!;
}

export interface CallOptions {
  method?: string;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  user?: string;
  departments?: string;
}
export type ApiCall = (
  path: string,
  groups: string,
  options?: CallOptions,
) => Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any

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
          http: { method: options.method ?? 'GET' },
          authorizer: {
            jwt: {
              claims: {
                sub: options.user ?? 'user-1',
                'cognito:groups': groups,
                ...(options.departments ? { 'custom:departments': options.departments } : {}),
              },
            },
          },
        },
      });
      return { status: response.statusCode, body: JSON.parse(response.body) };
    } finally {
      spy.mockRestore();
    }
  };
}
