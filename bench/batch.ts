import { createHash } from 'node:crypto';
import { startDynamoLocal } from '../local/dynamodb-local';
import { DynamoBackOfficeStore } from '../shared/adapters/dynamodb/backoffice-store';
import { batchPut } from '../shared/adapters/dynamodb/batch';
import { createDocumentClient } from '../shared/adapters/dynamodb/client';
import { ensureTables, tableNames } from '../shared/adapters/dynamodb/setup';
import { loadConfig } from '../shared/config/load';
import { caseItem } from '../shared/adapters/dynamodb/case-items';
import { transactWrite } from '../shared/adapters/dynamodb/transact';
import { BACKOFFICE_ACTOR, runExport, runImport } from '../shared/domain/backoffice';
import { transitionCase } from '../shared/domain/case';
import { chunks, forEachConcurrently } from '../shared/domain/concurrency';
import { seedOpenCases } from '../test/support/seed';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { progress, report, round, type BenchOptions } from './harness';

/**
 * The back-office round trip at 100,000 cases on DynamoDB Local: the export (OPEN → PENDING_RESPONSE: the case
 * at its version and the batch record in transactions, then the audit events) and the import of an answer for
 * each, against the floor of plain 25-item BatchWriteItem puts into the same DynamoDB Local in the same run,
 * and against the ceiling of version-conditional case writes (what the store's "no change lost" guarantee
 * costs on its own).
 */
export async function run(options: BenchOptions = {}): Promise<void> {
  const CASES = options.batchCases ?? 100_000;
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

    // The ceiling of what the store's guarantee costs: case items written back only if still at the version
    // read (the export's change to PENDING_RESPONSE), 99 to a transaction, 8 transactions at a time — with
    // nothing else written. The export and import cannot go faster than this on the same DynamoDB Local.
    const probe = await seedOpenCases(doc, names, {
      count: 10_000,
      departmentId: 'bench-conditional',
      topicId: 'payment-plan',
      seed: 2,
      from: 1_000_000,
    });
    const changed = probe.map(
      (c) => transitionCase(c, { to: 'PENDING_RESPONSE', actor: BACKOFFICE_ACTOR, now: c.createdAt }).case,
    );
    let conditional = performance.now();
    await forEachConcurrently(chunks(changed, 99), 8, (group) =>
      transactWrite(
        doc,
        group.map((c) => ({
          Put: {
            TableName: names.cases,
            Item: caseItem(c),
            ConditionExpression: 'version = :v',
            ExpressionAttributeValues: { ':v': c.version - 1 },
          },
        })),
      ),
    );
    conditional = changed.length / ((performance.now() - conditional) / 1000);
    progress(`  conditional case writes ${Math.round(conditional)} items/s`);

    let started = performance.now();
    await seedOpenCases(doc, names, { count: CASES, departmentId: 'tax', topicId: 'payment-plan' }, (n) => {
      if (n % 20_000 === 0) progress(`  seeded ${n}`);
    });
    progress(`  seeded ${CASES} cases in ${round((performance.now() - started) / 1000, 1)} s`);

    const store = new DynamoBackOfficeStore(doc, names, {
      concurrency: options.batchConcurrency ?? 8,
      transactionItems: options.batchTransactionItems ?? 100,
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
      name: 'batch.conditional_write_ceiling.items_per_s',
      value: round(conditional, 0),
      unit: 'items/s',
      ratio_to_floor: round(conditional / floor),
    });
    report({
      name: 'batch.export.cases_per_s',
      value: round(exportRate, 0),
      unit: 'cases/s',
      cases: exported.exported,
      skipped: exported.skipped,
    });
    report({
      name: 'batch.export.ratio_to_floor',
      value: round(exportRate / floor),
      unit: 'ratio',
      ratio_to_conditional_ceiling: round(exportRate / conditional),
    });
    report({
      name: 'batch.import.cases_per_s',
      value: round(importRate, 0),
      unit: 'cases/s',
      applied: imported.applied,
      rejected: imported.rejected,
    });
    report({
      name: 'batch.import.ratio_to_floor',
      value: round(importRate / floor),
      unit: 'ratio',
      ratio_to_conditional_ceiling: round(importRate / conditional),
    });
  } finally {
    doc.destroy();
    await dynamo.stop();
  }
}
