/**
 * `npm run bench` runs every benchmark; `npm run bench -- --only PREFIX` runs those whose name starts with
 * PREFIX (e.g. `--only search`). Each prints one JSON object a line: {"name", "value", "unit", …details}.
 */
import { progress } from './harness';

const BENCHMARKS: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  search: () => import('./search'),
  connect: () => import('./connect'),
  metrics: () => import('./metrics'),
  e2e: () => import('./e2e'),
  simulate: () => import('./simulate'),
  batch: () => import('./batch'),
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--only');
  const prefix = at >= 0 ? args[at + 1] : undefined;
  if (at >= 0 && !prefix) throw new Error('--only needs a prefix, e.g. --only search');
  const chosen = Object.keys(BENCHMARKS).filter(
    (name) => !prefix || name.startsWith(prefix) || prefix.startsWith(name),
  );
  if (chosen.length === 0)
    throw new Error(`no benchmark matches "${prefix}"; there are: ${Object.keys(BENCHMARKS).join(', ')}`);
  for (const name of chosen) {
    progress(`— ${name}`);
    await (await BENCHMARKS[name]!()).run();
  }
}

main().catch((error: unknown) => {
  progress(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
