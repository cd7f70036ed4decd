import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { compileConfig, loadConfig } from '../shared/config/load';
import type { readCompiledConfig } from '../shared/config/compiled';
import { createRuntime } from '../shared/runtime/runtime';
import { makeConnectCaseHandler } from '../lambdas/connect-case/function';
import { makeConnectLookupHandler } from '../lambdas/connect-lookup/function';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { bundleOptions, CONNECT_FUNCTIONS } from '../infra/bundling';
import { startCountingProxy } from './counting-proxy';
import { startDynamoLocal } from '../local/dynamodb-local';
import { citizenKeys } from '../shared/adapters/dynamodb/citizen-items';
import { DynamoCitizenRepository } from '../shared/adapters/dynamodb/citizen-repository';
import { createDocumentClient } from '../shared/adapters/dynamodb/client';
import { ensureTables, tableNames } from '../shared/adapters/dynamodb/setup';
import { newCitizen } from '../shared/domain/citizen';
import { phoneIdentity } from '../shared/domain/identity';
import { ENV } from '../shared/runtime/env';
import { percentile, progress, report, round, sample } from './harness';

type Handler = (event: unknown) => Promise<Record<string, string>>;
const IMPORT_RUNS = 9;

/** What every DynamoDB function pays: the client and one command, nothing else. */
const FLOOR_SOURCE = `
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({});
export const handler = async () => client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'k' } } }));
`;

/** A voice contact's event, as Connect sends it to a flow's function. */
export function event(phone: string, contactId: string, parameters: Record<string, string> = {}) {
  return {
    Name: 'ContactFlowEvent',
    Details: {
      ContactData: {
        ContactId: contactId,
        InitialContactId: contactId,
        Channel: 'VOICE',
        InitiationMethod: 'INBOUND',
        CustomerEndpoint: { Address: phone, Type: 'TELEPHONE_NUMBER' },
        LanguageCode: 'es-ES',
        Attributes: {},
      },
      Parameters: parameters,
    },
  };
}

/** Milliseconds to require() a bundle in a fresh Node process (the import alone, not Node's boot). */
function importMs(file: string, env: NodeJS.ProcessEnv): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  return Number(execFileSync(process.execPath, ['-e', script], { env, encoding: 'utf8' }));
}

/** Medians for a bundle and the floor, measured in turns (A B A B …) so drift in the machine hits both. */
function coldImports(file: string, floor: string, env: NodeJS.ProcessEnv): { ms: number; floorMs: number } {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < IMPORT_RUNS; i++) {
    a.push(importMs(file, env));
    b.push(importMs(floor, env));
  }
  return { ms: percentile(a, 50), floorMs: percentile(b, 50) };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ventanilla-bundles-'));
  const dynamo = await startDynamoLocal();
  const proxy = await startCountingProxy(dynamo.endpoint);
  try {
    // Bundles, built exactly as the CDK stacks build them, and the SDK floor with the same settings.
    writeFileSync(join(dir, 'floor.ts'), FLOOR_SOURCE);
    const files: Record<string, string> = { floor: join(dir, 'floor', 'index.js') };
    await build({
      ...bundleOptions(join(dir, 'floor.ts'), files.floor!),
      nodePaths: [resolve('node_modules')],
    });
    for (const fn of CONNECT_FUNCTIONS) {
      files[fn] = join(dir, fn, 'index.js');
      await build(bundleOptions(`lambdas/${fn}/handler.ts`, files[fn]!));
    }
    // Each bundle carries its compiled config, as the CDK stacks ship it.
    const compiled = JSON.stringify(compileConfig('config/city-hall'));
    for (const fn of CONNECT_FUNCTIONS) writeFileSync(join(dir, fn, 'config.json'), compiled);
    const names = tableNames('bench-connect-');
    const doc = createDocumentClient({ endpoint: dynamo.endpoint, requestTimeoutMs: 5000 });
    await ensureTables(doc as unknown as DynamoDBClient, names);
    // A bundle's whole environment in its own process, as Lambda gives it.
    const env = {
      [ENV.CITIZENS_TABLE]: names.citizens,
      [ENV.CASES_TABLE]: names.cases,
      [ENV.DYNAMODB_ENDPOINT]: dynamo.endpoint,
      [ENV.AWS_REGION]: 'us-east-1',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };

    progress('cold imports…');
    report({ name: 'bundle.sdk_floor.kb', value: round(statSync(files.floor!).size / 1024, 1), unit: 'KB' });
    for (const fn of CONNECT_FUNCTIONS) {
      const { ms, floorMs } = coldImports(files[fn]!, files.floor!, env);
      report({
        name: `bundle.${fn}.kb`,
        value: round(statSync(files[fn]!).size / 1024, 1),
        unit: 'KB',
        goal: '<= 700',
      });
      report({ name: `bundle.${fn}.cold_import_ms`, value: round(ms, 1), unit: 'ms', runs: IMPORT_RUNS });
      report({
        name: `bundle.${fn}.import_ratio_to_sdk_floor`,
        value: round(ms / floorMs),
        unit: 'ratio',
        sdk_floor_ms: round(floorMs, 1),
        goal: '<= 1.3',
      });
    }

    // A known caller with an open case and a few contacts.
    const phone = '+50761234567';
    await new DynamoCitizenRepository(doc, names.citizens).create(
      newCitizen(
        { givenNames: 'Ana', surnames: 'Pérez', identities: [phoneIdentity(phone, 'PA')] },
        'bench-known',
        new Date().toISOString(),
      ),
    );

    // Round trips, counted on the wire by a proxy in front of DynamoDB Local: the functions composed as at
    // a cold start in Lambda (Lambda's client bounds), with the proxy as their DynamoDB endpoint.
    const config = loadConfig('config/city-hall');
    const runtime = (service: string, endpoint: string) =>
      createRuntime({
        service,
        config,
        doc: createDocumentClient({ endpoint }),
        settings: { citizensTable: names.citizens, casesTable: names.cases },
        logLevel: 'ERROR',
      });
    const counted = {
      lookup: makeConnectLookupHandler(runtime('connect-lookup', proxy.endpoint)),
      createCase: makeConnectCaseHandler(runtime('connect-case', proxy.endpoint)),
    };
    await counted.createCase(event(phone, 'bench-open', { topic: 'complaint' }));
    await counted.lookup(event(phone, 'bench-warm'));
    proxy.reset();
    const popped = await counted.lookup(event(phone, 'bench-lookup'));
    if (popped.found !== 'true') throw new Error('the known caller was not found');
    report({
      name: 'lookup.roundtrips',
      value: proxy.total(),
      unit: 'requests',
      operations: Object.fromEntries(proxy.counts),
    });
    proxy.reset();
    const appended = await counted.createCase(event(phone, 'bench-append', { topic: 'complaint' }));
    report({
      name: 'case.roundtrips',
      value: proxy.total(),
      unit: 'requests',
      result: appended.result,
      operations: Object.fromEntries(proxy.counts),
    });
    proxy.reset();
    await counted.createCase(event(phone, 'bench-create', { topic: 'payment-plan' }));
    report({
      name: 'case.roundtrips_new_case',
      value: proxy.total(),
      unit: 'requests',
      operations: Object.fromEntries(proxy.counts),
    });

    // Latency: the lookup as Lambda runs it — its factory and runtime bundled as the CDK stacks bundle the
    // function, composed on the bundle's config — against one raw GetItem, straight to DynamoDB Local,
    // interleaved.
    const entry = join(dir, 'lookup-entry.ts');
    writeFileSync(
      entry,
      [
        `export { makeConnectLookupHandler } from ${JSON.stringify(resolve('lambdas/connect-lookup/function'))};`,
        `export { createRuntime } from ${JSON.stringify(resolve('shared/runtime/runtime'))};`,
        `export { createDocumentClient } from ${JSON.stringify(resolve('shared/adapters/dynamodb/client'))};`,
        `export { readCompiledConfig } from ${JSON.stringify(resolve('shared/config/compiled'))};`,
      ].join('\n'),
    );
    const lookupBundle = join(dir, 'lookup-entry', 'index.js');
    await build({ ...bundleOptions(entry, lookupBundle), nodePaths: [resolve('node_modules')] });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundled = require(lookupBundle) as {
      makeConnectLookupHandler: typeof makeConnectLookupHandler;
      createRuntime: typeof createRuntime;
      createDocumentClient: typeof createDocumentClient;
      readCompiledConfig: typeof readCompiledConfig;
    };
    const lookup: Handler = bundled.makeConnectLookupHandler(
      bundled.createRuntime({
        service: 'connect-lookup',
        config: bundled.readCompiledConfig(join(dir, 'connect-lookup', 'config.json')),
        doc: bundled.createDocumentClient({ endpoint: dynamo.endpoint }),
        settings: { citizensTable: names.citizens, casesTable: names.cases },
        logLevel: 'ERROR',
      }),
    );
    const raw = createDocumentClient({ endpoint: dynamo.endpoint });
    const key = citizenKeys.identity(phoneIdentity(phone, 'PA'));
    const lookupMs: number[] = [];
    const getMs: number[] = [];
    for (let round_ = 0; round_ < 10; round_++) {
      lookupMs.push(...(await sample(100, (i) => lookup(event(phone, `bench-${round_}-${i}`)), 10)));
      getMs.push(
        ...(await sample(100, () => raw.send(new GetCommand({ TableName: names.citizens, Key: key })), 10)),
      );
    }
    const lookupP50 = percentile(lookupMs, 50);
    const getP50 = percentile(getMs, 50);
    report({
      name: 'lookup.p50_ratio_to_getitem',
      value: round(lookupP50 / getP50),
      unit: 'ratio',
      lookup_p50_ms: round(lookupP50),
      getitem_p50_ms: round(getP50),
      samples: lookupMs.length,
      goal: '<= 1.3',
    });
    raw.destroy();
    doc.destroy();
  } finally {
    await proxy.close();
    await dynamo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
