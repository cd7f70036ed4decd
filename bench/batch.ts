import { createHash } from 'node:crypto';
import { startDynamoLocal } from '../infra/local/dynamodb-local';
import { DynamoBackOfficeStore } from '../shared/adapters/dynamodb/backoffice-store';
import { batchPut } from '../shared/adapters/dynamodb/batch';
import { createDocumentClient } from '../shared/adapters/dynamodb/client';
import { ensureTables, tableNames } from '../shared/adapters/dynamodb/setup';
import { loadConfig } from '../shared/config/load';
import { runExport, runImport } from '../shared/domain/backoffice';
import { seedOpenCases } from '../test/support/seed';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { progress, report, round } from './harness';

const CASES = Number(process.env.BATCH_CASES ?? 100_000);

/**
 * The back-office round trip at 100,000 cases on DynamoDB Local: the export (OPEN → PENDING_RESPONSE: the case
 * at its version and the batch record in transactions, then the audit events) and the import of an answer for
 * each, against the floor of plain 25-item BatchWriteItem puts into the same DynamoDB Local in the same run.
 */
export async function run(): Promise<void> {
  const dynamo = await startDynamoLocal();
  const doc = createDocumentClient({ endpoint: dynamo.endpoint, requestTimeoutMs: 30_000 });
  try {
    const names = tableNames('bench-batch-');
    await ensureTables(doc as unknown as DynamoDBClient, names);
    const { catalogue, calendar } = loadConfig('config/city-hall');

    // The floor: plain puts of case-sized items, 25 a request, 8 requests at a time — after a warm-up (a cold
    // DynamoDB Local is slower), the best of three rounds, so the ratios are not flattered by a slow floor.
    const floorItems = (round: number) =>
      Array.from({ length: 15_000 }, (_, i) => ({
        pk: `FLOOR#${round}#${i}`,
        sk: 'X',
        request: `Solicitud ${i}`.padEnd(300, '.'),
      }));
    await batchPut(doc, names.cases, floorItems(0), 8);
    let floor = 0;
    for (const round of [1, 2, 3]) {
      const items = floorItems(round);
      const t0 = performance.now();
      await batchPut(doc, names.cases, items, 8);
      floor = Math.max(floor, items.length / ((performance.now() - t0) / 1000));
    }
    progress(`  floor ${Math.round(floor)} items/s`);

    let started = performance.now();
    await seedOpenCases(doc, names, { count: CASES, departmentId: 'tax', topicId: 'payment-plan' }, (n) => {
      if (n % 20_000 === 0) progress(`  seeded ${n}`);
    });
    progress(`  seeded ${CASES} cases in ${round((performance.now() - started) / 1000, 1)} s`);

    const store = new DynamoBackOfficeStore(doc, names, {
      concurrency: Number(process.env.BATCH_CONCURRENCY ?? 8),
      transactionItems: Number(process.env.BATCH_TX_ITEMS ?? 100),
    });
    started = performance.now();
    const exported = await runExport(
      store,
      { catalogue, now: () => new Date(), localDate: (at) => calendar.local(at).date },
      'tax',
      (n) => n % 10_000 < 500 && progress(`  exported ${n}`),
    );
    const exportRate = exported.exported / ((performance.now() - started) / 1000);

    const answers = `ticket,answer\n${exported.rows.map((r) => `${r.ticket},"Aprobado: ${r.ticket}"`).join('\n')}\n`;
    started = performance.now();
    const imported = await runImport(
      store,
      { now: () => new Date(), importIdOf: (t) => createHash('sha256').update(t).digest('hex').slice(0, 16) },
      answers,
      { onProgress: (done, total) => done % 10_000 === 0 && progress(`  imported ${done}/${total}`) },
    );
    const importRate = imported.applied / ((performance.now() - started) / 1000);

    report({ name: 'batch.write_floor.items_per_s', value: round(floor, 0), unit: 'items/s' });
    report({
      name: 'batch.export.cases_per_s',
      value: round(exportRate, 0),
      unit: 'cases/s',
      cases: exported.exported,
      skipped: exported.skipped,
    });
    report({ name: 'batch.export.ratio_to_floor', value: round(exportRate / floor), unit: 'ratio' });
    report({
      name: 'batch.import.cases_per_s',
      value: round(importRate, 0),
      unit: 'cases/s',
      applied: imported.applied,
      rejected: imported.rejected,
    });
    report({ name: 'batch.import.ratio_to_floor', value: round(importRate / floor), unit: 'ratio' });
  } finally {
    doc.destroy();
    await dynamo.stop();
  }
}
