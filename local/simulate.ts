/**
 * `npm run simulate`: plays a day of traffic through the flows, queues and agents, and prints one JSON report.
 * Joins the back end `npm start` is running (so the dashboard shows the day as it happens); without one, it
 * starts its own for the run.
 *
 *   npm run simulate -- --contacts 10000 --hours 8 --speed 500
 *   npm run simulate -- --contacts 10000 --preset understaffed-morning
 *   npm run simulate -- --contacts 2000 --agents 60 --speed max --date 2026-11-24
 *
 * Ctrl-C stops the day where it is: contacts under way end, agents log out, and the report follows.
 */
import { loadConfig } from '../shared/config/load';
import { isCalendarDate } from '../shared/domain/calendar';
import { CONTACT_VERSION_WINDOW_DAYS, pastVersionWindow } from '../shared/domain/metrics/versions';
import { createDocumentClient } from '../shared/adapters/dynamodb/client';
import { DynamoMetricsStore } from '../shared/adapters/dynamodb/metrics-store';
import { createKinesisClient } from '../shared/adapters/kinesis/publisher';
import { readRunningBackEnd } from './running';
import {
  localTarget,
  PRESETS,
  simulate,
  type Preset,
  type SimulationOptions,
  type SimulationTarget,
} from './simulator/run';
import { EVENT_STREAM, localFunctions, startLocalBackEnd } from './back-end';
import { localQueues } from './contact-center';

interface Args extends SimulationOptions {
  readonly config: string;
  readonly standalone: boolean;
  /** The HTTP port of the back end to join, when several run. */
  readonly port?: number;
}

const USAGE =
  'known: --contacts N, --agents N|auto, --preset understaffed-morning, --hours H, --speed N|max, --seed N, ' +
  '--date YYYY-MM-DD, --config DIR, --port N, --standalone';

export function parseSimulateArgs(argv: readonly string[]): Args {
  const out = {
    contacts: 1000,
    agents: 'auto',
    hours: 8,
    speed: 500,
    seed: 1,
    config: 'config/city-hall',
    standalone: false,
  } as { -readonly [K in keyof Args]: Args[K] };
  const positive = (flag: string, raw: string, integer = true) => {
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
      throw new Error(`${flag} must be a positive ${integer ? 'whole ' : ''}number, not "${raw}"`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--contacts') out.contacts = positive(flag, value());
    else if (flag === '--agents') {
      const raw = value();
      out.agents = raw === 'auto' ? 'auto' : positive(flag, raw);
    } else if (flag === '--preset') {
      const raw = value();
      if (!(PRESETS as readonly string[]).includes(raw))
        throw new Error(`--preset must be one of: ${PRESETS.join(', ')} (not "${raw}")`);
      out.preset = raw as Preset;
    } else if (flag === '--hours') out.hours = positive(flag, value(), false);
    else if (flag === '--speed') {
      const raw = value();
      out.speed = raw === 'max' ? Infinity : positive(flag, raw, false);
    } else if (flag === '--seed') out.seed = positive(flag, value());
    else if (flag === '--date') {
      const raw = value();
      if (!isCalendarDate(raw)) throw new Error(`--date must be YYYY-MM-DD, not "${raw}"`);
      if (pastVersionWindow(`${raw}T23:59:59Z`, new Date()))
        throw new Error(
          `--date ${raw} is more than ${CONTACT_VERSION_WINDOW_DAYS} days ago: Connect sends no contact record that old, and the figures would not count it`,
        );
      out.date = raw;
    } else if (flag === '--config') out.config = value();
    else if (flag === '--port') out.port = positive(flag, value());
    else if (flag === '--standalone') out.standalone = true;
    else throw new Error(`unknown option ${flag} (${USAGE})`);
  }
  if (out.hours > 24) throw new Error('--hours must be 24 or less');
  if (out.preset && out.agents !== 'auto')
    throw new Error('--preset staffs the day itself: leave out --agents (or give --agents auto)');
  return out;
}

function progressBar() {
  const tty = process.stderr.isTTY;
  let lastTenth = -1;
  return (p: { ended: number; total: number; at: Date; events: number }) => {
    const ratio = p.total ? p.ended / p.total : 1;
    const clock = p.at.toISOString().slice(11, 16);
    if (tty) {
      const width = 30;
      const filled = Math.round(ratio * width);
      process.stderr.write(
        `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}%  ` +
          `${p.ended}/${p.total} contacts  ${p.events} events  ${clock} UTC simulated `,
      );
      if (p.ended === p.total) process.stderr.write('\n');
    } else if (Math.floor(ratio * 10) > lastTenth) {
      lastTenth = Math.floor(ratio * 10);
      process.stderr.write(`${lastTenth * 10}% (${p.ended}/${p.total} contacts, ${p.events} events)\n`);
    }
  };
}

async function main() {
  const args = parseSimulateArgs(process.argv.slice(2));
  const config = loadConfig(args.config);
  const running = args.standalone ? undefined : readRunningBackEnd(args.port);
  let target: SimulationTarget;
  let stop: () => Promise<void>;
  if (running) {
    process.stderr.write(`Joining the local contact center at ${running.url}\n`);
    const handlers = localFunctions(running, { config, logLevel: 'ERROR' });
    const doc = createDocumentClient({ endpoint: running.dynamoEndpoint, requestTimeoutMs: 5000 });
    const kinesis = createKinesisClient({ endpoint: running.kinesisEndpoint });
    target = {
      config,
      handlers,
      kinesis,
      stream: EVENT_STREAM,
      metrics: new DynamoMetricsStore(doc, running.names.metrics, {
        queues: localQueues(config.deployment),
      }),
    };
    stop = async () => {
      handlers.close();
      doc.destroy();
      kinesis.destroy();
    };
  } else {
    process.stderr.write('Starting a local back end for this run (npm start is not running)…\n');
    const backEnd = await startLocalBackEnd({ configDir: args.config, port: 0, logLevel: 'ERROR' });
    target = localTarget(backEnd, config);
    stop = () => backEnd.stop();
  }
  // Ctrl-C ends the day where it is (contacts end, agents log out) and still prints the report; a second
  // Ctrl-C leaves at once.
  const controller = new AbortController();
  const interrupt = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(
      '\nStopping: ending the contacts under way and logging the agents out (Ctrl-C again to quit now)…\n',
    );
    controller.abort();
  };
  process.on('SIGINT', interrupt);
  try {
    const report = await simulate(target, {
      ...args,
      onProgress: progressBar(),
      onBehind: ({ asked }) =>
        process.stderr.write(
          `\nThis machine cannot keep up with --speed ${asked}: the day goes on as fast as it can ` +
            '(the report says how much slower it ran).\n',
        ),
      signal: controller.signal,
    });
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    if (report.stopped) process.exitCode = 130;
    else if (report.lost || !report.metricsMatch) process.exitCode = 1;
  } finally {
    process.off('SIGINT', interrupt);
    await stop();
  }
}

if (require.main === module)
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
