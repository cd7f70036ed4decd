/**
 * `npm run simulate:appointments`: plays one office's day of bookings — a spike at the moment the day is
 * released, the rest over the weeks until it — and prints one JSON report that checks every slot against its
 * places. Joins the back end `npm start` is running (its agents then see the bookings); without one, it starts
 * DynamoDB Local for the run.
 *
 *   npm run simulate:appointments
 *   npm run simulate:appointments -- --attempts 4500 --spike 1600 --concurrency 32 --date 2027-01-18
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadConfig } from '../shared/config/load';
import { OfficeSchedule } from '../shared/domain/appointment-schedule';
import { addDays, isCalendarDate } from '../shared/domain/calendar';
import { createDocumentClient } from '../shared/adapters/dynamodb/client';
import { ensureTables, tableNames } from '../shared/adapters/dynamodb/setup';
import { startDynamoLocal } from './dynamodb-local';
import { readRunningBackEnd } from './running';
import { playAppointmentDay, type AppointmentDayOptions } from './simulator/appointment-day';

interface Args extends Omit<AppointmentDayOptions, 'date' | 'run' | 'onProgress'> {
  readonly date?: string;
  readonly config: string;
  readonly standalone: boolean;
  readonly port?: number;
}

const USAGE =
  'known: --attempts N, --spike N, --concurrency N, --seed N, --office ID, --topic ID, --date YYYY-MM-DD, ' +
  '--abandon FRACTION, --repeat FRACTION, --config DIR, --port N, --standalone';

export function parseAppointmentArgs(argv: readonly string[]): Args {
  const out = {
    officeId: 'plate-centre',
    topicId: 'plate-renewal',
    attempts: 4500,
    spike: 1600,
    concurrency: 32,
    seed: 1,
    abandonShare: 0.05,
    repeatShare: 0.02,
    config: 'config/city-hall',
    standalone: false,
  } as { -readonly [K in keyof Args]: Args[K] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
      return v;
    };
    const whole = () => {
      const raw = value();
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 1)
        throw new Error(`${flag} must be a whole number of at least 1, not "${raw}"`);
      return n;
    };
    const share = () => {
      const raw = value();
      const n = Number(raw);
      if (!(n >= 0 && n < 1)) throw new Error(`${flag} must be a fraction from 0 to below 1, not "${raw}"`);
      return n;
    };
    if (flag === '--attempts') out.attempts = whole();
    else if (flag === '--spike') out.spike = whole();
    else if (flag === '--concurrency') out.concurrency = whole();
    else if (flag === '--seed') out.seed = whole();
    else if (flag === '--office') out.officeId = value();
    else if (flag === '--topic') out.topicId = value();
    else if (flag === '--abandon') out.abandonShare = share();
    else if (flag === '--repeat') out.repeatShare = share();
    else if (flag === '--date') {
      const raw = value();
      if (!isCalendarDate(raw)) throw new Error(`--date must be YYYY-MM-DD, not "${raw}"`);
      out.date = raw;
    } else if (flag === '--config') out.config = value();
    else if (flag === '--port') out.port = whole();
    else if (flag === '--standalone') out.standalone = true;
    else throw new Error(`unknown option ${flag} (${USAGE})`);
  }
  if (out.spike > out.attempts) throw new Error('--spike must be at most --attempts');
  return out;
}

/** The first day of the office, for the procedure, that is not released yet at `now`: the next to open. */
export function nextReleasedDay(
  schedule: OfficeSchedule,
  officeId: string,
  topicId: string,
  now: Date,
): string {
  let date = addDays(schedule.releasedThrough(now), 1);
  for (let i = 0; i < 366 && schedule.slotsOn(officeId, topicId, date).length === 0; i++)
    date = addDays(date, 1);
  return date;
}

async function main() {
  const args = parseAppointmentArgs(process.argv.slice(2));
  const config = loadConfig(args.config);
  if (!config.deployment.appointments)
    throw new Error(`${args.config}: the deployment books no appointments`);
  const schedule = new OfficeSchedule(config.deployment.appointments, config.deployment);
  const service = schedule.service(args.officeId, args.topicId);
  const date = args.date ?? nextReleasedDay(schedule, args.officeId, args.topicId, new Date());
  if (schedule.slotsOn(args.officeId, args.topicId, date).length === 0)
    throw new Error(`${service.office.id} is closed on ${date}: choose another --date`);
  const running = args.standalone ? undefined : readRunningBackEnd(args.port);
  let stop: () => Promise<void>;
  let endpoint: string;
  let table: string;
  if (running) {
    process.stderr.write(`Joining the local contact center at ${running.url}\n`);
    endpoint = running.dynamoEndpoint;
    table = running.names.cases;
    stop = async () => {};
  } else {
    process.stderr.write('Starting DynamoDB Local for this run (npm start is not running)…\n');
    const dynamo = await startDynamoLocal();
    endpoint = dynamo.endpoint;
    table = tableNames('appointments-').cases;
    stop = () => dynamo.stop();
  }
  const doc = createDocumentClient({ endpoint, requestTimeoutMs: 15_000, connectionTimeoutMs: 15_000 });
  try {
    if (!running) await ensureTables(doc as unknown as DynamoDBClient, tableNames('appointments-'));
    process.stderr.write(
      `${args.attempts} attempts for ${args.topicId} at ${args.officeId} on ${date} ` +
        `(${args.spike} in the first minute after ${schedule.releaseOf(date).toISOString()})…\n`,
    );
    let tenth = -1;
    const report = await playAppointmentDay(doc, table, config, {
      ...args,
      date,
      run: `sim${randomUUID().slice(0, 8)}`,
      onProgress: (done, total) => {
        if (Math.floor((done / total) * 10) > tenth) {
          tenth = Math.floor((done / total) * 10);
          process.stderr.write(`${tenth * 10}% (${done}/${total})\n`);
        }
      },
    });
    process.stdout.write(
      `${JSON.stringify({ office: args.officeId, topic: args.topicId, date, ...report }, null, 2)}\n`,
    );
    if (report.overbookedSlots || report.countMismatches || report.answered !== report.attempts)
      process.exitCode = 1;
  } finally {
    doc.destroy();
    await stop();
  }
}

if (require.main === module)
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
