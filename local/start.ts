/**
 * `npm start`: the local contact center on this machine. Starts DynamoDB Local and kinesalite with the tables
 * and stream of the CDK stacks, runs the production functions in-process fed by local event-source pollers,
 * seeds demo citizens and cases from config/, serves the staff API and live metrics, and runs until Ctrl-C.
 *
 *   npm start -- [--port 3000] [--config config/city-hall] [--dynamo-port N] [--data-dir .data]
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../shared/config/load';
import { seedDemo } from './seed-demo';
import { staffFileOf } from './passwords';
import { RUNNING_DIR, writeRunningBackEnd } from './running';
import { startLocalBackEnd } from './back-end';

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
  const backEnd = await startLocalBackEnd({
    configDir: options.config,
    port: options.port,
    ...(options.dynamoPort ? { dynamoPort: options.dynamoPort } : {}),
    ...(options.dataDir ? { dataDir: resolve(options.dataDir) } : {}),
    passwordFile: staffFileOf(options.config, RUNNING_DIR),
  });
  const forget = writeRunningBackEnd({
    pid: process.pid,
    url: backEnd.url,
    port: backEnd.port,
    ...backEnd.local,
  });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nStopping…\n');
    forget();
    await backEnd.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  try {
    const seeded = await seedDemo(backEnd.doc, backEnd.names, backEnd.config);
    const { deployment, catalogue } = backEnd.config;
    const seconds = process.uptime().toFixed(1);
    const passwordFile = staffFileOf(options.config, RUNNING_DIR);
    const newPasswords = [...backEnd.newPasswords].map(([user, password]) => `${user} / ${password}`);
    process.stdout.write(
      [
        `Ventanilla local — ${deployment.name.en} (${deployment.timeZone})`,
        `  dashboard        ${backEnd.url}/dashboard/   (users in ${options.config}/users.json)`,
        `  agent panel      ${backEnd.url}/agent/   (sign in as an agent, set yourself Available: contacts ring there)`,
        `  be the caller    ${backEnd.url}/caller/   or  npm run call -- --channel whatsapp --interactive`,
        `  citizen's page   ${backEnd.url}/citizen/   (sign in with a number, e.g. 6000-1234; its code is in the outbox: ${backEnd.url}/api/outbox, as a supervisor)`,
        `  fake agencies    tax clearance ${backEnd.agency.url.replace(/\/$/, '')} (says yes) · payment gateway ${backEnd.gateway.url} (its own pay page)`,
        `  administration   ${backEnd.url}/admin/   (staff accounts, their audit, the configuration in force)`,
        `  supervision      ${backEnd.url}/supervision/   (overdue and pending cases, reopening, merging duplicates)`,
        `  back office      ${backEnd.url}/backoffice/   (the day's batches, the agency's answers checked and applied)`,
        ...(newPasswords.length
          ? [
              `  new passwords    ${newPasswords.join(' · ')}`,
              `                   shown this once; only their hashes are kept, in ${passwordFile}`,
            ]
          : [`  passwords        shown on the first start; delete ${passwordFile} for new ones`]),
        `  staff API        ${backEnd.url}/api/…   (signed-in cookie, or header  Authorization: Bearer ${backEnd.token})`,
        `  DynamoDB Local   ${backEnd.dynamoEndpoint}${options.dataDir ? `  (data in ${options.dataDir})` : '  (in memory)'}`,
        `  Kinesis          ${backEnd.kinesisEndpoint}  (kinesalite)`,
        `  tables           ${Object.values(backEnd.names).join(', ')}`,
        `  demo data        ${seeded.citizens} citizens, ${seeded.cases} cases${seeded.cases ? '' : ' (already there)'}`,
        `  catalogue        ${catalogue.entries.length} procedures in ${deployment.departments.length} departments`,
        `  simulate a day   npm run simulate -- --contacts 2000 --speed 500   (in another terminal; the dashboard follows it)`,
        `  back office CLI  npm run export -- --department tax · npm run import -- answers.csv [--dry-run] · npm run follow-up · npm run retention`,
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
