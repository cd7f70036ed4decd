/**
 * The back office's command line, against the back end `npm start` is running:
 *
 *   npm run export -- --department tax [--out exports]      # the day's batch → CSV (UTF-8 with BOM) + JSON
 *   npm run import -- answers.csv [--dry-run]                # ticket,answer → per-row report (JSON)
 *   npm run follow-up                                         # today's follow-up tasks → the task outbox
 *   npm run retention                                         # tonight's retention sweep, then TTL's deletions
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoBackOfficeStore } from '../shared/adapters/dynamodb/backoffice-store';
import { createDocumentClient } from '../shared/adapters/dynamodb/client';
import { importIdOf } from '../shared/adapters/http/backoffice-routes';
import { loadConfig } from '../shared/config/load';
import { exportCsv, runExport, runImport } from '../shared/domain/backoffice';
import { followUpDeps, runFollowUps } from '../shared/domain/follow-up';
import { DynamoFollowUpStore } from '../shared/adapters/dynamodb/follow-up-store';
import { DynamoTaskOutbox } from '../shared/adapters/dynamodb/outbox';
import { readRunningBackEnd } from './running';
import { expireItems } from './ttl';
import { makeRetentionSweepHandler, RetentionIncompleteError } from '../lambdas/retention-sweep/function';
import { createRuntime } from '../shared/runtime/runtime';

function bar(label: string) {
  return (done: number, total?: number) => {
    const text = total
      ? `[${'#'.repeat(Math.round((done / total) * 30)).padEnd(30, '-')}] ${done}/${total}`
      : `${done}`;
    process.stderr.write(process.stderr.isTTY ? `\r${label} ${text} ` : `${label} ${text}\n`);
  };
}

async function main() {
  const [command, ...argv] = process.argv.slice(2);
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--dry-run') flags.set(a, true);
    else if (a.startsWith('--')) {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      flags.set(a, v);
    } else positional.push(a);
  }
  const configDir = String(flags.get('--config') ?? 'config/city-hall');
  const { catalogue, calendar, deployment } = loadConfig(configDir);
  const port = flags.get('--port');
  if (port !== undefined && !/^\d+$/.test(String(port))) throw new Error('--port must be a port number');
  const running = readRunningBackEnd(port === undefined ? undefined : Number(port));
  if (!running) throw new Error('the local contact center is not running: start it first with `npm start`');
  const doc = createDocumentClient({ endpoint: running.dynamoEndpoint, requestTimeoutMs: 10_000 });
  const store = new DynamoBackOfficeStore(doc, running.names, {
    keepDays: deployment.retention.exportFile.days,
  });
  try {
    if (command === 'export') {
      const department = flags.get('--department');
      if (typeof department !== 'string') throw new Error('--department is required (e.g. --department tax)');
      if (!deployment.departments.some((d) => d.id === department))
        throw new Error(
          `no department "${department}" (there are: ${deployment.departments.map((d) => d.id).join(', ')})`,
        );
      const progress = bar('exporting');
      const report = await runExport(
        store,
        { catalogue, now: () => new Date(), localDate: (at) => calendar.local(at).date },
        department,
        (n) => progress(n),
      );
      const out = String(flags.get('--out') ?? 'exports');
      mkdirSync(out, { recursive: true });
      const base = join(out, report.batchId.replace(/:/g, '-'));
      writeFileSync(`${base}.csv`, exportCsv(report.rows));
      writeFileSync(`${base}.json`, JSON.stringify(report.rows, null, 2));
      process.stderr.write('\n');
      process.stdout.write(
        `${JSON.stringify({ batchId: report.batchId, exported: report.exported, skipped: report.skipped, rows: report.rows.length, csv: `${base}.csv`, json: `${base}.json` }, null, 2)}\n`,
      );
    } else if (command === 'import') {
      const file = positional[0];
      if (!file) throw new Error('give the answers file: npm run import -- answers.csv [--dry-run]');
      const text = readFileSync(file, 'utf8');
      const report = await runImport(store, { now: () => new Date(), importIdOf }, text, {
        dryRun: flags.get('--dry-run') === true,
        onProgress: bar(flags.get('--dry-run') ? 'checking' : 'importing'),
      });
      process.stderr.write('\n');
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      if (report.rejected) process.exitCode = 2;
    } else if (command === 'follow-up') {
      const progress = bar('follow-ups');
      const report = await runFollowUps(
        followUpDeps(
          { catalogue, calendar, deployment },
          new DynamoFollowUpStore(doc, running.names.cases),
          new DynamoTaskOutbox(doc, running.names.cases),
        ),
        deployment.departments.map((d) => d.id),
        progress,
      );
      process.stderr.write('\n');
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      // Tasks not created are not remembered: running the command again creates them.
      if (report.failed) process.exitCode = 1;
    } else if (command === 'retention') {
      const tables = running.names;
      const sweep = makeRetentionSweepHandler(
        createRuntime({
          service: 'retention-sweep',
          config: loadConfig(configDir),
          doc,
          settings: { citizensTable: tables.citizens, casesTable: tables.cases },
          logLevel: 'SILENT',
        }),
        { progress: bar('cases examined') },
      );
      const report = await sweep().catch((error: unknown) => {
        if (!(error instanceof RetentionIncompleteError)) throw error;
        process.exitCode = 1;
        return { failures: error.failed, firstFailure: error.firstFailure };
      });
      // What DynamoDB's TTL would have deleted by now, which DynamoDB Local leaves to us.
      const expired = await expireItems(doc, [tables.citizens, tables.cases, tables.metrics], new Date());
      process.stderr.write('\n');
      process.stdout.write(`${JSON.stringify({ ...report, expiredByTtl: expired }, null, 2)}\n`);
    } else throw new Error('use `export`, `import`, `follow-up` or `retention`');
  } finally {
    doc.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
