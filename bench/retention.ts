import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamoLocal } from '../local/dynamodb-local';
import { batchPut } from '../shared/adapters/dynamodb/batch';
import { auditItem, caseItem } from '../shared/adapters/dynamodb/case-items';
import { createDocumentClient } from '../shared/adapters/dynamodb/client';
import { DynamoHoldStore } from '../shared/adapters/dynamodb/legal-holds';
import { DynamoRetentionStore } from '../shared/adapters/dynamodb/retention-store';
import { ensureTables, tableNames } from '../shared/adapters/dynamodb/setup';
import { DynamoSubjectStore } from '../shared/adapters/dynamodb/subject-store';
import { loadConfig } from '../shared/config/load';
import { forEachConcurrently } from '../shared/domain/concurrency';
import { sweepRetention } from '../shared/domain/retention-sweep';
import { seedOpenCases } from '../test/support/seed';
import { progress, report, round } from './harness';

const CASES = 5_000;

/**
 * The nightly retention sweep on DynamoDB Local: 5,000 cases resolved six years ago, each with its history
 * (two audit events), found on the status index and ended item by item, the case item last at its version.
 * Against the floor of the same number of plain single-item deletes, 16 at a time, in the same run.
 */
export async function run(): Promise<void> {
  const dynamo = await startDynamoLocal();
  const doc = createDocumentClient({ endpoint: dynamo.endpoint, requestTimeoutMs: 30_000 });
  try {
    const names = tableNames('bench-retention-');
    await ensureTables(doc as unknown as DynamoDBClient, names);
    const { deployment, calendar } = loadConfig('config/city-hall');
    progress(`  seeding ${CASES} cases closed six years ago`);
    const seeded = await seedOpenCases(doc, names, {
      count: CASES,
      departmentId: 'tax',
      topicId: 'payment-plan',
      seed: 5,
    });
    const closedAt = '2020-11-23T14:00:00.000Z';
    const resolved = seeded.map((c) => ({
      ...c,
      status: 'RESOLVED' as const,
      createdAt: closedAt,
      updatedAt: closedAt,
    }));
    const audits = resolved.flatMap((c) =>
      [1, 2].map((seq) =>
        auditItem({
          ticket: c.ticket,
          seq,
          at: closedAt,
          actor: { id: 'bench', role: 'agent' },
          action: seq === 1 ? 'CREATED' : 'TRANSITIONED',
          from: seq === 1 ? null : 'OPEN',
          to: seq === 1 ? 'OPEN' : 'RESOLVED',
        }),
      ),
    );
    await batchPut(doc, names.cases, [...resolved.map((c) => caseItem(c)), ...audits], 8);
    const items = resolved.length + audits.length;

    // The floor: as many plain deletes of other items, one request each, 16 at a time.
    const floorKeys = Array.from({ length: items }, (_, i) => ({ pk: `FLOOR#${i}`, sk: 'X' }));
    await batchPut(
      doc,
      names.cases,
      floorKeys.map((k) => ({ ...k, request: 'x'.repeat(200) })),
      8,
    );
    const f0 = performance.now();
    await forEachConcurrently(floorKeys, 16, async (Key) => {
      await doc.send(new DeleteCommand({ TableName: names.cases, Key }));
    });
    const floor = items / ((performance.now() - f0) / 1000);

    const t0 = performance.now();
    const swept = await sweepRetention({
      store: new DynamoRetentionStore(doc, names.cases),
      holds: new DynamoHoldStore(doc, names),
      subjects: new DynamoSubjectStore(doc, names),
      schedule: deployment.retention,
      departments: ['tax'],
      clock: { now: () => new Date() },
      localDate: (at) => calendar.local(at).date,
      progress: (n) => progress(`  examined ${n}/${CASES}`),
    });
    const seconds = (performance.now() - t0) / 1000;
    if (swept.cases.retired !== CASES) throw new Error(`retired ${swept.cases.retired} of ${CASES}`);
    const rate = items / seconds;
    report({
      name: 'retention.sweep.items_per_s',
      value: round(rate, 0),
      unit: 'items/s',
      cases: CASES,
      items,
      seconds: round(seconds, 1),
      casesPerSecond: round(CASES / seconds, 0),
      floorItemsPerSecond: round(floor, 0),
      ratioToFloor: round(rate / floor, 2),
    });
  } finally {
    doc.destroy();
    await dynamo.stop();
  }
}
