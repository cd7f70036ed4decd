/**
 * `npm run bench` runs every benchmark, one family after another in this one process; `npm run bench --
 * --only PREFIX` runs those whose name starts with PREFIX (e.g. `--only search`). Each prints one JSON object
 * a line: {"name", "value", "unit", …details}. The batch family takes `--batch-cases N`, `--batch-concurrency
 * N` and `--batch-transaction-items N`; the simulate family `--simulate-contacts N` and `--simulate-agents N`
 * (a larger day after the 10,000-contact one, with the ratio of their times).
 */
import { progress, type BenchOptions } from './harness';

const BENCHMARKS: Record<string, () => Promise<{ run: (options: BenchOptions) => Promise<void> }>> = {
  search: () => import('./search'),
  connect: () => import('./connect'),
  metrics: () => import('./metrics'),
  aggregator: () => import('./aggregator'),
  e2e: () => import('./e2e'),
  simulate: () => import('./simulate'),
  batch: () => import('./batch'),
  workspace: () => import('./workspace'),
  backoffice: () => import('./backoffice'),
  appointments: () => import('./appointments'),
  erlang: () => import('./erlang'),
  load: () => import('./load'),
  faults: () => import('./faults'),
  capacity: () => import('./capacity'),
  retention: () => import('./retention'),
};

const NUMBERS = {
  '--batch-cases': 'batchCases',
  '--batch-concurrency': 'batchConcurrency',
  '--batch-transaction-items': 'batchTransactionItems',
  '--simulate-contacts': 'simulateContacts',
  '--simulate-agents': 'simulateAgents',
} as const;

function parseArgs(args: readonly string[]): { prefix?: string; options: BenchOptions } {
  let prefix: string | undefined;
  const options: { -readonly [K in keyof BenchOptions]: BenchOptions[K] } = {};
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    const value = args[++i];
    if (flag === '--only') {
      if (!value) throw new Error('--only needs a prefix, e.g. --only search');
      prefix = value;
    } else if (flag in NUMBERS) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a whole number of at least 1`);
      options[NUMBERS[flag as keyof typeof NUMBERS]] = n;
    } else throw new Error(`unknown option ${flag} (known: --only, ${Object.keys(NUMBERS).join(', ')})`);
  }
  return { ...(prefix ? { prefix } : {}), options };
}

async function main(): Promise<void> {
  const { prefix, options } = parseArgs(process.argv.slice(2));
  const chosen = Object.keys(BENCHMARKS).filter(
    (name) => !prefix || name.startsWith(prefix) || prefix.startsWith(name),
  );
  if (chosen.length === 0)
    throw new Error(`no benchmark matches "${prefix}"; there are: ${Object.keys(BENCHMARKS).join(', ')}`);
  for (const name of chosen) {
    progress(`— ${name}`);
    await (await BENCHMARKS[name]!()).run(options);
  }
}

main().catch((error: unknown) => {
  progress(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
