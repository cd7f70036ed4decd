/**
 * `npm start`: the local contact center on this machine. Starts DynamoDB Local and kinesalite with the tables
 * and stream of the CDK stacks, runs the production handlers in-process fed by local event-source pollers,
 * seeds demo citizens and cases from config/, serves the staff API and live metrics, and runs until Ctrl-C.
 *
 *   npm start -- [--port 3000] [--config config/city-hall] [--dynamo-port N] [--data-dir .data/dynamodb]
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../../shared/config/load';
import { seedDemo } from './seed-demo';
import { writeRunningStack } from './running';
import { startLocalStack } from './stack';

interface Options {
  config: string;
  port: number;
  dynamoPort?: number;
  dataDir?: string;
}

const port = (flag: string, raw: string) => {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw new Error(`${flag} must be a port number`);
  return value;
};

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { config: 'config/city-hall', port: 3000 };
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
    else if (flag === '--port') options.port = port(flag, need());
    else if (flag === '--dynamo-port') options.dynamoPort = port(flag, need());
    else throw new Error(`unknown option ${flag} (known: --port, --config, --dynamo-port, --data-dir)`);
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  loadConfig(options.config); // fail fast, naming the bad field
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const stack = await startLocalStack({
    configDir: options.config,
    port: options.port,
    ...(options.dynamoPort ? { dynamoPort: options.dynamoPort } : {}),
    ...(options.dataDir ? { dataDir: resolve(options.dataDir) } : {}),
  });
  const forget = writeRunningStack({ pid: process.pid, url: stack.url, port: stack.port, ...stack.local });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nStopping…\n');
    forget();
    await stack.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  try {
    const seeded = await seedDemo(stack.doc, stack.names, loadConfig(options.config));
    const { deployment, catalogue } = stack.config;
    const seconds = process.uptime().toFixed(1);
    process.stdout.write(
      [
        `Ventanilla local — ${deployment.name.en} (${deployment.timeZone})`,
        `  dashboard        ${stack.url}/dashboard/   (demo users in ${options.config}/users.json: supervisora / ventanilla-demo)`,
        `  staff API        ${stack.url}/api/…   (signed-in cookie, or header  Authorization: Bearer ${stack.token})`,
        `  DynamoDB Local   ${stack.dynamoEndpoint}${options.dataDir ? `  (data in ${options.dataDir})` : '  (in memory)'}`,
        `  Kinesis          ${stack.kinesisEndpoint}  (kinesalite)`,
        `  tables           ${Object.values(stack.names).join(', ')}`,
        `  demo data        ${seeded.citizens} citizens, ${seeded.cases} cases${seeded.cases ? '' : ' (already there)'}`,
        `  catalogue        ${catalogue.length} procedures in ${deployment.departments.length} departments`,
        `  simulate a day   npm run simulate -- --contacts 2000 --speed 500   (in another terminal; the dashboard follows it)`,
        `  back office      npm run export -- --department tax · npm run import -- answers.csv [--dry-run] · npm run follow-up`,
        `Ready ${seconds} s after the command started. Press Ctrl-C to stop.`,
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
