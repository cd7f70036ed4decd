import { createHash } from 'node:crypto';
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoBackOfficeStore } from '../../shared/adapters/dynamodb/backoffice-store';
import { caseKeys } from '../../shared/adapters/dynamodb/case-items';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client';
import { ensureTables, tableNames } from '../../shared/adapters/dynamodb/setup';
import { startDynamoLocal, type DynamoLocal } from '../../local/dynamodb-local';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoCaseRepository } from '../../shared/adapters/dynamodb/case-repository';
import { loadConfig } from '../../shared/config/load';
import { exportCsv, runExport, runImport, type BackOfficeStore } from '../../shared/domain/backoffice';
import { openCase, type CaseStatus } from '../../shared/domain/case';
import { seededRandom } from '../../shared/domain/random';
import { generateTicket } from '../../shared/domain/ticket';
import { BOM, parseCsv } from '../../shared/domain/csv';
import { seedOpenCases } from '../support/seed';

const { catalogue, calendar } = loadConfig('config/city-hall');
const deps = {
  catalogue,
  now: () => new Date('2026-11-24T13:30:00.000Z'),
  localDate: (at: Date) => calendar.local(at).date,
};
const importDeps = {
  now: () => new Date('2026-11-25T15:00:00.000Z'),
  importIdOf: (text: string) => `import:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`,
};

let tables: { doc: ReturnType<typeof createDocumentClient>; names: ReturnType<typeof tableNames> };
let store: DynamoBackOfficeStore;

async function count(status: CaseStatus, departmentId: string): Promise<number> {
  let n = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await tables.doc.send(
      new QueryCommand({
        TableName: tables.names.cases,
        IndexName: 'byStatus',
        KeyConditionExpression: 'gsi2pk = :k',
        ExpressionAttributeValues: { ':k': caseKeys.statusPartition(status, departmentId) },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    );
    n += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return n;
}

let dynamo: DynamoLocal;
beforeAll(async () => {
  // Tens of thousands of transactional writes leave DynamoDB Local slow for whatever runs after them on the
  // same instance (freeing the tables does not bring it back): this suite has one of its own.
  dynamo = await startDynamoLocal();
  const doc = createDocumentClient({
    endpoint: dynamo.endpoint,
    requestTimeoutMs: 30_000,
    connectionTimeoutMs: 2000,
  });
  const names = tableNames(`bo-`);
  await ensureTables(doc as unknown as DynamoDBClient, names);
  tables = { doc, names };
  store = new DynamoBackOfficeStore(doc, names, { concurrency: 4 });
}, 60_000);
afterAll(async () => {
  tables?.doc.destroy();
  await dynamo?.stop();
});

describe('back-office round trip on DynamoDB Local', () => {
  it('exports 2,500 cases (three pages of the status index) and imports their answers with bad and unanswered rows: exact counts, every row reported', async () => {
    // Exact counts, not scale (`npm run bench -- --only batch` times 100,000 cases).
    const N = 2_500;
    const answeredRows = N * 0.95;
    const seeded = await seedOpenCases(tables.doc, tables.names, {
      count: N,
      departmentId: 'tax',
      topicId: 'payment-plan',
    });
    const exported = await runExport(store, deps, 'tax');
    expect(exported).toMatchObject({ batchId: 'export:tax:2026-11-24', exported: N, skipped: 0 });
    expect(exported.rows).toHaveLength(N);
    expect(await count('OPEN', 'tax')).toBe(0);
    expect(await count('PENDING_RESPONSE', 'tax')).toBe(N);

    // The file: BOM, header, one row a case, and the request's quotes and commas survive the round trip.
    const csv = exportCsv(exported.rows);
    expect(csv.startsWith(BOM)).toBe(true);
    const back = parseCsv(csv);
    expect(back).toHaveLength(N + 1);
    const first = back[1] as unknown as { fields: string[] };
    expect(first.fields[6]).toMatch(/^Solicitud \d+, con "comillas", y comas$/);
    expect(first.fields[4]).toMatch(/^\+5077\d{7}$/);

    // Again the same day: nothing moves twice, the file is the same.
    const again = await runExport(store, deps, 'tax');
    expect(again.exported).toBe(0);
    expect(again.rows).toEqual(exported.rows);
    const repo = new DynamoCaseRepository(tables.doc, tables.names);
    expect((await repo.audit(seeded[0]!.ticket)).map((a) => a.to)).toEqual(['OPEN', 'PENDING_RESPONSE']);

    // Answers: 90 % answered, 5 % "needs more information", and a bad or unanswered row every 95 rows, of
    // five kinds (the extra rows are for cases beyond the answered ones).
    const tickets = exported.rows.map((r) => r.ticket);
    const lines: string[] = ['ticket,answer'];
    const bad = new Map<number, string>();
    const unanswered: number[] = [];
    const badRow = (row: string, reason: string) => {
      lines.push(row);
      bad.set(lines.length, reason);
    };
    for (let i = 0; i < answeredRows; i++) {
      const t = tickets[i]!;
      lines.push(i < N * 0.9 ? `${t},"Aprobado, cuota ${i} de ""6"""` : `${t},necesita más información`);
      if (i % 95 === 0) {
        const kind = (i / 95) % 5;
        const wrongDigit = `${t.slice(0, 9)}${(Number(t[9]) + 1) % 10}`;
        if (kind === 0) badRow(`${wrongDigit},respuesta`, 'check digit');
        else if (kind === 1) badRow(`${seeded.length > 0 ? '0000000000' : ''},respuesta`, 'no case');
        else if (kind === 2) {
          // Not answered yet: reported so, not as an error.
          lines.push(`${tickets[N - 1 - (i % 100)]!},`);
          unanswered.push(lines.length);
        } else if (kind === 3)
          badRow(`${tickets[answeredRows + (i % 100)]!},"respuesta "rota" aquí`, 'unreadable');
        else
          badRow(`${tickets[answeredRows + 100 - 1 - (i % 50)]!},respuesta ${'x'.repeat(2_100)}`, 'longer');
      }
    }
    const answers = `${lines.join('\n')}\n`;
    const extra = Math.ceil(answeredRows / 95);
    expect(bad.size + unanswered.length).toBe(extra);

    const dry = await runImport(store, importDeps, answers, { dryRun: true });
    expect(dry).toMatchObject({
      dryRun: true,
      applied: answeredRows,
      rejected: bad.size,
      unchanged: unanswered.length,
    });
    expect(await count('PENDING_RESPONSE', 'tax')).toBe(N);

    const applied = await runImport(store, importDeps, answers);
    expect(applied).toMatchObject({
      applied: answeredRows,
      rejected: bad.size,
      unchanged: unanswered.length,
    });
    const rejected = applied.rows.filter((r) => r.result === 'rejected');
    expect(rejected.map((r) => r.line).sort((a, b) => a - b)).toEqual([...bad.keys()].sort((a, b) => a - b));
    for (const r of rejected) expect(r.reason).toEqual(expect.stringMatching(/./));
    expect(applied.rows.filter((r) => r.reason === 'no answer yet').map((r) => r.line)).toEqual(unanswered);
    expect(await count('PENDING_COMMUNICATION', 'tax')).toBe(N * 0.9);
    expect(await count('OPEN', 'tax')).toBe(N * 0.05);
    expect(await count('PENDING_RESPONSE', 'tax')).toBe(N * 0.05);
    const answered = await repo.byTicket(tickets[0]! as never);
    expect(answered).toMatchObject({ status: 'PENDING_COMMUNICATION', answer: 'Aprobado, cuota 0 de "6"' });

    // The same file again changes nothing.
    const twice = await runImport(store, importDeps, answers);
    expect(twice).toMatchObject({
      applied: 0,
      unchanged: answeredRows + unanswered.length,
      rejected: bad.size,
    });
    expect(await count('PENDING_COMMUNICATION', 'tax')).toBe(N * 0.9);
    expect((await repo.audit(tickets[0]! as never)).map((a) => a.to)).toEqual([
      'OPEN',
      'PENDING_RESPONSE',
      'PENDING_COMMUNICATION',
    ]);
  }, 240_000);

  it('resumes an export that crashed half-way without losing or duplicating a case', async () => {
    const seeded = await seedOpenCases(tables.doc, tables.names, {
      count: 600,
      departmentId: 'vehicles',
      topicId: 'plate-renewal',
      from: 50_000,
      seed: 2,
    });
    const crashing: BackOfficeStore = {
      openCases: (d) => store.openCases(d),
      citizens: (ids) => store.citizens(ids),
      casesByTicket: (t) => store.casesByTicket(t),
      batchRows: (b) => store.batchRows(b),
      repair: (b) => store.repair(b),
      rectifications: (d) => store.rectifications(d),
      settleRectification: (b, n, r) => store.settleRectification(b, n, r),
      commit: async (changes, batch) => {
        // 200 cases are written, then the machine goes away.
        await store.commit(changes.slice(0, 200), batch);
        throw new Error('the machine went away');
      },
    };
    await expect(runExport(crashing, deps, 'vehicles')).rejects.toThrow('the machine went away');
    expect(await count('PENDING_RESPONSE', 'vehicles')).toBe(200);
    const resumed = await runExport(store, deps, 'vehicles');
    expect(resumed.exported).toBe(400);
    expect(new Set(resumed.rows.map((r) => r.ticket))).toEqual(new Set(seeded.map((c) => c.ticket)));
    expect(resumed.rows).toHaveLength(600);
    const repo = new DynamoCaseRepository(tables.doc, tables.names);
    for (const c of seeded.slice(0, 20))
      expect((await repo.audit(c.ticket)).filter((a) => a.to === 'PENDING_RESPONSE')).toHaveLength(1);
  }, 120_000);

  it('leaves a case an agent changed meanwhile for the next run, and writes the others', async () => {
    const [first, second] = await seedOpenCases(tables.doc, tables.names, {
      count: 2,
      departmentId: 'civil-registry',
      topicId: 'birth-certificate',
      from: 90_000,
      seed: 3,
    });
    const repo = new DynamoCaseRepository(tables.doc, tables.names);
    const racing: BackOfficeStore = {
      ...store,
      openCases: (d) => store.openCases(d),
      citizens: (ids) => store.citizens(ids),
      casesByTicket: (t) => store.casesByTicket(t),
      batchRows: (b) => store.batchRows(b),
      repair: (b) => store.repair(b),
      rectifications: (d) => store.rectifications(d),
      settleRectification: (b, n, r) => store.settleRectification(b, n, r),
      commit: async (changes, batch) => {
        // An agent resolves the first case between the read and the write.
        const current = (await repo.byTicket(first!.ticket))!;
        await repo.saveTransition(
          { ...current, status: 'RESOLVED', version: current.version + 1 },
          {
            ticket: current.ticket,
            seq: 2,
            at: current.updatedAt,
            actor: { id: 'a', role: 'agent' },
            action: 'TRANSITIONED',
            from: 'OPEN',
            to: 'RESOLVED',
          },
          [],
        );
        return store.commit(changes, batch);
      },
    };
    // The same citizen has a second open case in the department: both go out, in separate transactions.
    const owner = (await store.citizens([second!.citizenId])).get(second!.citizenId)!;
    const { case: third, audit } = openCase({
      ticket: generateTicket(seededRandom(77)),
      citizenId: owner.id,
      topicId: 'marriage-certificate',
      departmentId: 'civil-registry',
      channel: 'SMS',
      dueAt: second!.dueAt,
      actor: { id: 'a', role: 'agent' },
      now: second!.createdAt,
    });
    await repo.create(third, audit, owner.identities);
    const report = await runExport(racing, deps, 'civil-registry');
    expect(report).toMatchObject({ exported: 2, skipped: 1 });
    expect((await repo.byTicket(third.ticket))!.status).toBe('PENDING_RESPONSE');
    expect((await repo.byTicket(first!.ticket))!.status).toBe('RESOLVED');
    expect((await repo.byTicket(second!.ticket))!.status).toBe('PENDING_RESPONSE');
    expect(report.rows.map((r) => r.ticket).sort()).toEqual([second!.ticket, third.ticket].sort());
  }, 60_000);

  it('finishes the audit trail of a run that stopped between writing its cases and their audit events', async () => {
    const seeded = await seedOpenCases(tables.doc, tables.names, {
      count: 150,
      departmentId: 'general-information',
      topicId: 'complaint',
      from: 120_000,
      seed: 4,
    });
    // The connection drops on the first batch of audit events, after their cases' transaction committed.
    let dropped = false;
    const flaky = Object.create(tables.doc) as typeof tables.doc;
    flaky.send = ((command: unknown) => {
      if (!dropped && command instanceof BatchWriteCommand) {
        dropped = true;
        return Promise.reject(new Error('connection reset'));
      }
      return tables.doc.send(command as never);
    }) as typeof tables.doc.send;
    const stopped = new DynamoBackOfficeStore(flaky, tables.names, { concurrency: 1 });
    await expect(runExport(stopped, deps, 'general-information')).rejects.toThrow('connection reset');
    const repo = new DynamoCaseRepository(tables.doc, tables.names);
    const moved = [];
    for (const c of seeded) if ((await repo.byTicket(c.ticket))!.status === 'PENDING_RESPONSE') moved.push(c);
    expect(moved.length).toBeGreaterThan(0);
    const trail = async (ticket: (typeof seeded)[number]['ticket']) =>
      (await repo.audit(ticket)).map((a) => a.to);
    expect(await trail(moved[0]!.ticket)).not.toContain('PENDING_RESPONSE');

    const resumed = await runExport(store, deps, 'general-information');
    expect(resumed.exported + moved.length).toBe(150);
    for (const c of seeded)
      expect((await trail(c.ticket)).filter((to) => to === 'PENDING_RESPONSE')).toHaveLength(1);
  }, 60_000);
});
