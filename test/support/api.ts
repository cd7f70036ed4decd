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
  });
  let handler: Handler | undefined;
  await jest.isolateModulesAsync(async () => {
    handler = (await import('../../lambdas/api/handler')).handler as Handler;
  });
  return handler!;
}
