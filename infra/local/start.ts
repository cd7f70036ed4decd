/**
 * `npm start`: the local contact center on this machine. Starts DynamoDB Local, creates the tables from the
 * same definitions as the CDK stacks, seeds demo citizens and cases from config/, and runs until Ctrl-C.
 *
 *   npm start -- [--config config/city-hall] [--dynamo-port N] [--data-dir .data/dynamodb]
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client';
import { ensureTables, tableNames } from '../../shared/adapters/dynamodb/setup';
import { loadConfig } from '../../shared/config/load';
import { startDynamoLocal } from './dynamodb-local';
import { seedDemo } from './seed-demo';

interface Options {
  config: string;
  dynamoPort?: number;
  dataDir?: string;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { config: 'config/city-hall' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    const need = () => {
      if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value`);
      i++;
      return value;
    };
    if (flag === '--config') options.config = need();
    else if (flag === '--data-dir') options.dataDir = need();
    else if (flag === '--dynamo-port') {
      const port = Number(need());
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw new Error('--dynamo-port must be a port number');
      options.dynamoPort = port;
    } else throw new Error(`unknown option ${flag} (known: --config, --dynamo-port, --data-dir)`);
  }
  return options;
}

async function main(): Promise<void> {
  const started = Date.now();
  const options = parseArgs(process.argv.slice(2));
  const config = loadConfig(options.config);
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const dynamo = await startDynamoLocal({
    ...(options.dynamoPort ? { port: options.dynamoPort } : {}),
    ...(options.dataDir ? { dataDir: resolve(options.dataDir) } : {}),
  });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nStopping DynamoDB Local…\n');
    await dynamo.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    const doc = createDocumentClient({ endpoint: dynamo.endpoint, requestTimeoutMs: 5000 });
    const names = tableNames(`${config.deployment.id}-`);
    await ensureTables(doc as unknown as DynamoDBClient, names);
    const seeded = await seedDemo(doc, names, config);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      [
        `Ventanilla local — ${config.deployment.name.en} (${config.deployment.timeZone})`,
        `  DynamoDB Local   ${dynamo.endpoint}${options.dataDir ? `  (data in ${options.dataDir})` : '  (in memory)'}`,
        `  tables           ${Object.values(names).join(', ')}`,
        `  demo data        ${seeded.citizens} citizens, ${seeded.cases} cases${seeded.cases ? '' : ' (already there)'}`,
        `  catalogue        ${config.catalogue.entries.length} procedures in ${config.deployment.departments.length} departments`,
        `Ready in ${seconds} s. Press Ctrl-C to stop.`,
        '',
      ].join('\n'),
    );
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    await stop(1);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
