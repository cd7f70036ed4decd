import { createDocumentClient } from '../../shared/adapters/dynamodb/client';
import { loadConfig } from '../../shared/config/load';
import type { Clock } from '../../shared/domain/ports';
import { createRuntime } from '../../shared/runtime/runtime';
import { testDynamoEndpoint, type freshTables } from './dynamo';

const config = loadConfig('config/city-hall');

/**
 * The functions' runtime on a test's fresh tables, as each function is put together at a cold start: its own
 * document client with Lambda's time bounds, the city hall's configuration, the test's clock, no logs.
 */
export function runtimeOn(tables: Pick<Awaited<ReturnType<typeof freshTables>>, 'names'>, clock: Clock) {
  return (service: string) =>
    createRuntime({
      service,
      config,
      doc: createDocumentClient({ endpoint: testDynamoEndpoint() }),
      settings: {
        citizensTable: tables.names.citizens,
        casesTable: tables.names.cases,
        metricsTable: tables.names.metrics,
      },
      clock,
      logLevel: 'SILENT',
    });
}
