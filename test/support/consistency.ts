import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isClosed, type CaseStatus } from '../../shared/domain/case';

type Item = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Every item of a table, page by page. */
export async function scanAll(doc: DynamoDBDocumentClient, table: string): Promise<Item[]> {
  const out: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    out.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

/**
 * Reads every item and lists each broken invariant: a half-written intake or case shows up here. An empty
 * list means the store is whole.
 */
export async function inconsistencies(
  doc: DynamoDBDocumentClient,
  names: { citizens: string; cases: string },
): Promise<string[]> {
  const [citizens, cases] = await Promise.all([scanAll(doc, names.citizens), scanAll(doc, names.cases)]);
  const problems: string[] = [];
  const byKey = (items: Item[]) => new Map(items.map((i) => [`${i.pk}|${i.sk}`, i]));
  const c = byKey(citizens);
  const k = byKey(cases);
  const caseItems = cases.filter((i) => i.sk === 'CASE');

  for (const item of cases) {
    if (item.sk === 'CASE') {
      if (!k.has(`${item.pk}|AUDIT#00000001`))
        problems.push(`case ${item.ticket} has no creation audit event`);
      const guard = k.get(`OPENTOPIC#${item.citizenId}#${item.topicId}|OPENTOPIC`);
      const open = !isClosed(item.status as CaseStatus);
      if (open && guard?.ticket !== item.ticket)
        problems.push(`open case ${item.ticket} does not hold its topic guard`);
      if (!c.has(`CIT#${item.citizenId}|PROFILE`)) problems.push(`case ${item.ticket} has no citizen`);
    }
    if (item.sk === 'OPENTOPIC') {
      const held = k.get(`CASE#${item.ticket}|CASE`);
      if (!held || isClosed(held.status)) problems.push(`topic guard ${item.pk} points to no open case`);
    }
    if (item.sk === 'INTAKE') {
      if (!k.has(`CASE#${item.ticket}|CASE`)) problems.push(`intake ${item.pk} points to a missing case`);
      if (!k.has(`CASE#${item.ticket}|CONTACT#${item.contactId}`))
        problems.push(`intake ${item.pk} has no contact link`);
    }
  }
  for (const item of citizens) {
    if (item.sk === 'ID') {
      if (!c.has(`CIT#${item.citizenId}|PROFILE`)) problems.push(`identity ${item.pk} has no citizen`);
      const open = caseItems
        .filter((x) => x.citizenId === item.citizenId && !isClosed(x.status))
        .map((x) => x.ticket)
        .sort();
      const shown = Object.keys(item.summary?.openCases ?? {}).sort();
      if (JSON.stringify(open) !== JSON.stringify(shown))
        problems.push(
          `identity ${item.pk} summary shows ${shown.join(',')} but open cases are ${open.join(',')}`,
        );
    }
    if (item.sk.startsWith('CONTACT#') && !c.has(`CONTACTID#${item.contactId}|CONTACTID`))
      problems.push(`timeline contact ${item.contactId} has no guard`);
  }
  return problems;
}
