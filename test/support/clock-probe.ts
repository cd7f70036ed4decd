/**
 * Run by the any-clock test under a faked machine clock (scripts/at-clock.sh): the date-sensitive path as a
 * user meets it, on the machine's own clock with nothing injected — `npm run simulate`'s choice of day, the
 * day played through the flows and the aggregator, the dashboard's summary over HTTP, the case's due time and
 * the export's batch and date column. Prints one JSON line.
 */
import { randomUUID } from 'node:crypto';
import { localTarget, simulate } from '../../local/simulator/run';
import { startLocalBackEnd } from '../../local/back-end';
import { dropTables } from '../../shared/adapters/dynamodb/setup';
import { DynamoBackOfficeStore } from '../../shared/adapters/dynamodb/backoffice-store';
import { loadConfig } from '../../shared/config/load';
import { runExport } from '../../shared/domain/backoffice';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

async function main() {
  const config = loadConfig('config/city-hall');
  const backEnd = await startLocalBackEnd({
    configDir: 'config/city-hall',
    // The run's DynamoDB Local, as the test that started this process names it.
    dynamoEndpoint: process.argv[2]!,
    logLevel: 'CRITICAL',
    tablePrefix: `k${randomUUID().slice(0, 8)}-`,
    port: 0,
  });
  let result: string;
  try {
    const wall = new Date();
    const report = await simulate(localTarget(backEnd, config), {
      contacts: 150,
      agents: 'auto',
      preset: 'understaffed-morning',
      hours: 2,
      speed: Infinity,
      seed: 7,
      settleMs: 20_000,
    });
    const res = await fetch(`${backEnd.url}/api/metrics/summary`, {
      headers: { authorization: `Bearer ${backEnd.token}` },
    });
    const summary = (await res.json()) as {
      date: string;
      today: string;
      departments: { oldestWaitSeconds: number; today: { offered: number } }[];
    };
    const exported = await runExport(
      new DynamoBackOfficeStore(backEnd.doc, backEnd.names),
      {
        catalogue: config.catalogue,
        now: () => new Date(),
        localDate: (at) => config.calendar.local(at).date,
      },
      'vehicles',
    );
    result = `${JSON.stringify({
      wall: wall.toISOString(),
      wallDate: config.calendar.local(wall).date,
      report: { ...report, mismatches: report.mismatches.slice(0, 3) },
      summary: {
        status: res.status,
        date: summary.date,
        today: summary.today,
        offered: summary.departments.reduce((n, d) => n + d.today.offered, 0),
        oldest: Math.max(...summary.departments.map((d) => d.oldestWaitSeconds)),
      },
      export: {
        batchId: exported.batchId,
        rows: exported.rows.length,
        dates: [...new Set(exported.rows.map((r) => r.date))],
      },
    })}\n`;
  } finally {
    await dropTables(backEnd.doc as unknown as DynamoDBClient, backEnd.names).catch(() => undefined);
    await backEnd.stop();
  }
  process.stdout.write(result);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
