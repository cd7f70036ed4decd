import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { caseItem } from '../../shared/adapters/dynamodb/case-items';
import { DynamoCaseRepository } from '../../shared/adapters/dynamodb/case-repository';
import { parseCsv } from '../../shared/domain/csv';
import { parseTicket } from '../../shared/domain/ticket';
import { apiCaller, loadApiHandler, type ApiCall } from '../support/api';
import { freshTables } from '../support/dynamo';

let call: ApiCall;
let doc: DynamoDBDocumentClient;
let cases: DynamoCaseRepository;

beforeAll(async () => {
  const tables = await freshTables();
  doc = tables.doc;
  cases = new DynamoCaseRepository(doc, tables.names);
  call = apiCaller(await loadApiHandler(tables.names));
  names = tables.names;
});
let names: { cases: string };
let phones = 100;

/** A case opened now, then given a due time `hoursAgo` in the past (negative: in the future). */
async function caseDue(surname: string, topicId: string, hoursAgo: number): Promise<string> {
  const citizen = await call('/citizens', '[agent]', {
    method: 'POST',
    body: { givenNames: 'Caso', surnames: surname, phone: `6${String(++phones).padStart(3, '0')}-0000` },
  });
  const opened = await call('/cases', '[agent]', {
    method: 'POST',
    body: { citizenId: citizen.body.citizen.id, topicId, channel: 'VOICE' },
  });
  const stored = (await cases.byTicket(parseTicket(opened.body.ticket)))!;
  const dueAt = new Date(Date.now() - hoursAgo * 3600_000).toISOString();
  await doc.send(new PutCommand({ TableName: names.cases, Item: caseItem({ ...stored, dueAt }) }));
  return opened.body.ticket;
}

const list = (query: Record<string, string>, groups = '[supervisor]') =>
  call('/supervision/cases', groups, { query });

describe("the supervisors' case lists", () => {
  it('lists the overdue of a department, oldest due first, and gives the same list as a CSV file', async () => {
    const late = await caseDue('Uno', 'payment-plan', 48);
    const later = await caseDue('Dos', 'tax-clearance', 2);
    const onTime = await caseDue('Tres', 'payment-plan', -24);
    const elsewhere = await caseDue('Cuatro', 'birth-certificate', 10);
    const overdue = await list({ department: 'tax', view: 'overdue' });
    expect(overdue.status).toBe(200);
    expect(overdue.body.items.map((c: { ticket: string }) => c.ticket)).toEqual([late, later]);
    expect(overdue.body.items[0]).toMatchObject({ departmentId: 'tax', status: 'OPEN', overdue: true });
    // Every department: the civil registry's too.
    const everywhere = await list({ view: 'overdue' });
    expect(everywhere.body.items.map((c: { ticket: string }) => c.ticket)).toEqual([late, elsewhere, later]);
    // The open ones, by creation, include the one still on time, not flagged.
    const open = await list({ department: 'tax', view: 'open', sort: 'created' });
    expect(open.body.items.map((c: { ticket: string }) => c.ticket)).toEqual([late, later, onTime]);
    expect(open.body.items[2].overdue).toBe(false);

    const csv = await list({ department: 'tax', view: 'overdue', format: 'csv' });
    expect(csv.body.csv.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(csv.body.csv.slice(1));
    expect(rows.length).toBe(3);
  });

  it('refuses what is not a list, naming the field, and is for supervisors and administrators only', async () => {
    expect(await list({ view: 'late' })).toMatchObject({ status: 400, body: { field: 'view' } });
    expect(await list({ sort: 'ticket' })).toMatchObject({ status: 400, body: { field: 'sort' } });
    expect(await list({ department: 'moon' })).toMatchObject({ status: 400, body: { field: 'department' } });
    expect(await list({ format: 'xls' })).toMatchObject({ status: 400, body: { field: 'format' } });
    expect((await list({}, '[admin]')).status).toBe(200);
    for (const groups of ['[agent]', '[backoffice]']) expect((await list({}, groups)).status).toBe(403);
  });
});
