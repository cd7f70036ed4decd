import { startLocalBackEnd } from '../local/back-end';
import { batchPut } from '../shared/adapters/dynamodb/batch';
import { caseItem } from '../shared/adapters/dynamodb/case-items';
import { MAX_IMPORT_ROWS } from '../shared/adapters/http/backoffice-routes';
import type { ImportRowReport } from '../shared/domain/backoffice';
import { seedOpenCases } from '../test/support/seed';
import { progress, report, round } from './harness';

const ROWS = 50_000;

/**
 * A 50,000-row answers file through the staff API as the back-office page sends it: in parts of 2,000 rows,
 * checked (dry run) and then applied with each part's good lines, on the local back end. Against the floor of
 * plain 25-item puts of the same cases into the same DynamoDB Local in the same run.
 */
export async function run(): Promise<void> {
  const backEnd = await startLocalBackEnd({
    configDir: 'config/city-hall',
    port: 0,
    tablePrefix: 'bench-bo-',
  });
  try {
    progress(`  seeding ${ROWS} cases waiting for the office`);
    const seeded = await seedOpenCases(backEnd.doc, backEnd.names, {
      count: ROWS,
      departmentId: 'tax',
      topicId: 'payment-plan',
      seed: 7,
    });
    const waiting = seeded.map((c) => ({ ...c, status: 'PENDING_RESPONSE' as const }));
    const t0 = performance.now();
    await batchPut(
      backEnd.doc,
      backEnd.names.cases,
      waiting.map((c) => caseItem(c)),
      8,
    );
    const floor = waiting.length / ((performance.now() - t0) / 1000);

    const header = 'ticket,answer';
    const parts: string[] = [];
    for (let i = 0; i < waiting.length; i += MAX_IMPORT_ROWS)
      parts.push(
        [
          header,
          ...waiting
            .slice(i, i + MAX_IMPORT_ROWS)
            .map((c) => `${c.ticket},Respuesta de la oficina ${c.ticket}`),
        ].join('\n'),
      );
    const send = async (part: number, dryRun: boolean, lines?: number[]) => {
      const res = await fetch(`${backEnd.url}/api/backoffice/imports${dryRun ? '?dryRun=true' : ''}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${backEnd.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          text: parts[part],
          name: 'answers-50k.csv',
          fileId: 'b0'.repeat(16),
          part,
          parts: parts.length,
          ...(lines ? { lines } : {}),
        }),
      });
      if (!res.ok) throw new Error(`part ${part}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { rows: ImportRowReport[] }).rows;
    };
    const started = performance.now();
    const good: number[][] = [];
    for (let i = 0; i < parts.length; i++) {
      good.push((await send(i, true)).filter((r) => r.result === 'applied').map((r) => r.line));
      progress(`  checked ${Math.min((i + 1) * MAX_IMPORT_ROWS, ROWS)}/${ROWS}`);
    }
    const checked = performance.now();
    let applied = 0;
    for (let i = 0; i < parts.length; i++) {
      applied += (await send(i, false, good[i])).filter((r) => r.result === 'applied').length;
      progress(`  applied ${applied}/${ROWS}`);
    }
    const done = performance.now();
    const seconds = (done - started) / 1000;
    report({
      name: 'backoffice.import_50k_s',
      value: round(seconds, 1),
      unit: 's',
      rows: ROWS,
      applied,
      dry_run_s: round((checked - started) / 1000, 1),
      apply_s: round((done - checked) / 1000, 1),
      rows_per_s: Math.round(ROWS / seconds),
      floor_puts_per_s: Math.round(floor),
      ratio_to_floor: round(floor / (ROWS / seconds), 2),
    });
  } finally {
    await backEnd.stop();
  }
}
