import {
  QueryCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { BackOfficeStore, ExportRow, PlannedChange } from '../../domain/backoffice';
import type { Case } from '../../domain/case';
import type { Citizen } from '../../domain/citizen';
import { openCaseChange } from '../../domain/screen-pop';
import type { Ticket } from '../../domain/ticket';
import { auditItem, caseFromItem, caseItem, caseKeys } from './case-items';
import { citizenFromItem, citizenKeys } from './citizen-items';
import { summaryUpdates } from './screen-pop-items';
import { batchGet } from './batch';
import { queryPages, statusPartitionQuery } from './pagination';
import { TransactionCancelled, transactWrite } from './transact';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB allows 100 items in one transaction. */
const MAX_TRANSACTION_ITEMS = 100;
const PAGE = 500;

export const batchKeys = {
  chunk: (batchId: string, firstTicket: string) => ({ pk: `BATCH#${batchId}`, sk: `ROWS#${firstTicket}` }),
};

/**
 * The back-office batches on DynamoDB: pages of OPEN cases from the status index, citizens and cases by
 * BatchGetItem (100 keys a call), and changes written many cases per transaction — each case conditional on
 * its version, its audit event, its owner's screen-pop summaries, and (for an export) one record of the
 * rows of the cases in that transaction. A transaction that fails because some case changed meanwhile is
 * written again without those cases.
 */
export class DynamoBackOfficeStore implements BackOfficeStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: { readonly cases: string; readonly citizens: string },
    private readonly options: { readonly concurrency?: number; readonly transactionItems?: number } = {},
  ) {}

  openCases(departmentId: string): AsyncIterable<readonly Case[]> {
    const partition = caseKeys.statusPartition('OPEN', departmentId);
    return queryPages(this.doc, statusPartitionQuery(this.tables.cases, partition, PAGE), caseFromItem);
  }

  async citizens(ids: readonly string[]): Promise<ReadonlyMap<string, Citizen>> {
    const found = await batchGet(
      this.doc,
      this.tables.citizens,
      ids.map((id) => citizenKeys.profile(id)),
      citizenFromItem,
    );
    return new Map(found.map((c) => [c.id, c]));
  }

  async casesByTicket(tickets: readonly Ticket[]): Promise<ReadonlyMap<string, Case>> {
    const found = await batchGet(
      this.doc,
      this.tables.cases,
      tickets.map((t) => caseKeys.case(t)),
      caseFromItem,
    );
    return new Map(found.map((c) => [c.ticket as string, c]));
  }

  async batchRows(batchId: string): Promise<readonly ExportRow[]> {
    const rows: ExportRow[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tables.cases,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': batchKeys.chunk(batchId, '').pk },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) rows.push(...(item.rows as ExportRow[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return rows;
  }

  private itemsOf(change: PlannedChange): TransactItem[] {
    const { next, audit, owner } = change;
    return [
      {
        Put: {
          TableName: this.tables.cases,
          Item: caseItem(next),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': next.version - 1 },
        },
      },
      {
        Put: {
          TableName: this.tables.cases,
          Item: auditItem(audit),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...summaryUpdates(this.tables.citizens, owner?.identities ?? [], {
        openCase: [next.ticket, openCaseChange(next)],
      }),
    ];
  }

  async commit(
    changes: readonly PlannedChange[],
    batch?: { readonly id: string; readonly rows: ReadonlyMap<string, ExportRow> },
  ): Promise<{ committed: number; conflicts: readonly PlannedChange[] }> {
    // Group cases into transactions of at most 100 items, keeping one slot for the batch record. Two cases of
    // one citizen touch the same screen-pop summaries, and a transaction may touch an item only once: such a
    // case goes into another transaction.
    const limit = this.options.transactionItems ?? MAX_TRANSACTION_ITEMS;
    const groups: { changes: PlannedChange[]; size: number; owners: Set<string> }[] = [];
    for (const change of changes) {
      const n = this.itemsOf(change).length;
      const owner = change.owner?.id ?? change.next.citizenId;
      let group = groups.find((g) => g.size + n <= limit && !g.owners.has(owner));
      if (!group) {
        group = { changes: [], size: batch ? 1 : 0, owners: new Set() };
        groups.push(group);
      }
      group.changes.push(change);
      group.size += n;
      group.owners.add(owner);
    }

    let committed = 0;
    const conflicts: PlannedChange[] = [];
    let next = 0;
    const worker = async () => {
      while (next < groups.length) {
        let pending = groups[next++]!.changes;
        while (pending.length) {
          const items: TransactItem[] = [];
          const owners: number[] = [];
          pending.forEach((change, i) => {
            for (const item of this.itemsOf(change)) {
              items.push(item);
              owners.push(i);
            }
          });
          if (batch)
            items.push({
              Put: {
                TableName: this.tables.cases,
                Item: {
                  ...batchKeys.chunk(batch.id, pending[0]!.next.ticket),
                  type: 'BATCH',
                  rows: pending.map((c) => batch.rows.get(c.next.ticket)).filter(Boolean),
                },
              },
            });
          try {
            await transactWrite(this.doc, items);
            committed += pending.length;
            break;
          } catch (error) {
            if (!(error instanceof TransactionCancelled)) throw error;
            const failed = new Set(
              error.reasons.flatMap((r, i) =>
                r.code === 'ConditionalCheckFailed' && i < owners.length ? [owners[i]!] : [],
              ),
            );
            if (!failed.size) throw error;
            conflicts.push(...pending.filter((_, i) => failed.has(i)));
            pending = pending.filter((_, i) => !failed.has(i));
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 6, groups.length) }, worker));
    return { committed, conflicts };
  }
}
