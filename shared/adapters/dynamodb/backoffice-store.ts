import {
  PutCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import type { BackOfficeStore, ExportRow, PlannedChange, RectificationNotice } from '../../domain/backoffice';
import type { AuditEvent, Case } from '../../domain/case';
import type { Citizen } from '../../domain/citizen';
import type { Ticket } from '../../domain/ticket';
import { auditItem, caseFromItem, caseItem, caseKeys } from './case-items';
import { citizenFromItem, citizenKeys } from './citizen-items';
import { batchGet, batchPut } from './batch';
import { chunks, forEachConcurrently } from '../../domain/concurrency';
import { ttlOf } from '../../domain/retention';
import { partitionRecords, queryPages, statusPartitionQuery } from './pagination';
import { TransactionCancelled, transactWrite } from './transact';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB allows 100 items in one transaction. */
const MAX_TRANSACTION_ITEMS = 100;
const PAGE = 1000;

export const batchKeys = {
  chunk: (batchId: string, firstTicket: string, unique: string) => ({
    pk: `BATCH#${batchId}`,
    sk: `ROWS#${firstTicket}#${unique}`,
  }),
  partition: (batchId: string) => `BATCH#${batchId}`,
  /** A department's pending rectification notice about a citizen (one at a time: a later one replaces it). */
  rectification: (departmentId: string, citizenId: string) => ({
    pk: `RECTIFY#${departmentId}`,
    sk: citizenId,
  }),
};

/**
 * The back-office batches on DynamoDB: pages of OPEN cases from the status index, citizens and cases by
 * BatchGetItem (100 keys a call), and changes written up to 99 cases per transaction, each case conditional on
 * its version, together with one batch record holding those cases' audit events (and, for an export, their
 * rows). The audit events are then written as items with plain batch puts, with a marker that they are; a
 * run that stopped in between is completed by `repair`. Screen pops are not written here: they follow from
 * the cases table's stream (`ScreenPopRefresher`). A transaction that fails because some case changed
 * meanwhile is written again without those cases.
 */
export class DynamoBackOfficeStore implements BackOfficeStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: { readonly cases: string; readonly citizens: string },
    private readonly options: {
      readonly concurrency?: number;
      readonly transactionItems?: number;
      /** Days a batch record (a copy of its file's rows) is kept: the schedule's `exportFile`. */
      readonly keepDays?: number;
      readonly now?: () => Date;
    } = {},
  ) {}

  /** The TTL of a batch record written now (none when no term is given). */
  private ttl(): { expiresAt?: number } {
    const { keepDays, now = () => new Date() } = this.options;
    return keepDays === undefined ? {} : { expiresAt: ttlOf(now(), keepDays) };
  }

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
    const query = {
      TableName: this.tables.cases,
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :r)',
      ExpressionAttributeValues: { ':p': batchKeys.partition(batchId), ':r': 'ROWS#' },
      ProjectionExpression: '#rows',
      ExpressionAttributeNames: { '#rows': 'rows' },
    };
    for await (const page of queryPages(this.doc, query, (item) => (item.rows ?? []) as ExportRow[]))
      for (const chunk of page) rows.push(...chunk);
    return rows;
  }

  rectifications(departmentId: string): Promise<readonly RectificationNotice[]> {
    return partitionRecords<RectificationNotice>(
      this.doc,
      this.tables.cases,
      `RECTIFY#${departmentId}`,
      true,
    );
  }

  async settleRectification(
    batchId: string,
    notice: RectificationNotice,
    rows: readonly ExportRow[],
  ): Promise<boolean> {
    const sk = `ROWS#RECTIFY#${notice.citizenId}#${notice.at}`;
    try {
      await transactWrite(this.doc, [
        {
          Delete: {
            TableName: this.tables.cases,
            Key: batchKeys.rectification(notice.departmentId, notice.citizenId),
            // Only the notice read: one that replaced it meanwhile waits for the next export.
            ConditionExpression: '#at = :at',
            ExpressionAttributeNames: { '#at': 'at' },
            ExpressionAttributeValues: { ':at': notice.at },
          },
        },
        {
          Put: {
            TableName: this.tables.cases,
            Item: { pk: batchKeys.partition(batchId), sk, type: 'BATCH', audits: [], rows, ...this.ttl() },
          },
        },
        {
          Put: {
            TableName: this.tables.cases,
            Item: { pk: batchKeys.partition(batchId), sk: `DONE#${sk}`, type: 'BATCH_DONE', ...this.ttl() },
          },
        },
      ]);
      return true;
    } catch (error) {
      if (error instanceof TransactionCancelled && error.failedCondition() === 0) return false;
      throw error;
    }
  }

  async repair(batchId: string): Promise<number> {
    const query = {
      TableName: this.tables.cases,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': batchKeys.partition(batchId) },
      ProjectionExpression: 'sk, audits',
    };
    const chunks = new Map<string, AuditEvent[]>();
    const done = new Set<string>();
    for await (const page of queryPages(this.doc, query, (item) => item))
      for (const item of page) {
        const sk = String(item.sk);
        if (sk.startsWith('DONE#')) done.add(sk.slice('DONE#'.length));
        else chunks.set(sk, (item.audits ?? []) as AuditEvent[]);
      }
    let repaired = 0;
    for (const [sk, audits] of chunks)
      if (!done.has(sk)) {
        await this.materialize({ pk: batchKeys.partition(batchId), sk }, audits);
        repaired += audits.length;
      }
    return repaired;
  }

  /**
   * Writes a batch record's audit events as items (idempotent puts), then — only once all are written — a
   * small marker that they are (the record itself is not rewritten).
   */
  private async materialize(key: { pk: string; sk: string }, audits: readonly AuditEvent[]): Promise<void> {
    await batchPut(this.doc, this.tables.cases, audits.map(auditItem), 2);
    await this.doc.send(
      new PutCommand({
        TableName: this.tables.cases,
        Item: { pk: key.pk, sk: `DONE#${key.sk}`, type: 'BATCH_DONE', ...this.ttl() },
      }),
    );
  }

  async commit(
    changes: readonly PlannedChange[],
    batch: { readonly id: string; readonly rows?: ReadonlyMap<string, ExportRow> },
  ): Promise<{ committed: number; conflicts: readonly PlannedChange[] }> {
    // One item per case, and one slot for the batch record.
    const perTransaction = (this.options.transactionItems ?? MAX_TRANSACTION_ITEMS) - 1;
    let committed = 0;
    const conflicts: PlannedChange[] = [];
    const concurrency = this.options.concurrency ?? 6;
    await forEachConcurrently(chunks(changes, perTransaction), concurrency, async (group) => {
      let pending = group;
      while (pending.length) {
        const key = batchKeys.chunk(batch.id, pending[0]!.next.ticket, randomUUID().slice(0, 8));
        const items: TransactItem[] = pending.map(({ next: c }) => ({
          Put: {
            TableName: this.tables.cases,
            Item: caseItem(c),
            ConditionExpression: 'version = :v',
            ExpressionAttributeValues: { ':v': c.version - 1 },
          },
        }));
        const audits = pending.map((c) => c.audit);
        items.push({
          Put: {
            TableName: this.tables.cases,
            Item: {
              ...key,
              type: 'BATCH',
              audits,
              ...this.ttl(),
              ...(batch.rows
                ? { rows: pending.map((c) => batch.rows!.get(c.next.ticket)).filter(Boolean) }
                : {}),
            },
          },
        });
        try {
          await transactWrite(this.doc, items);
        } catch (error) {
          if (!(error instanceof TransactionCancelled)) throw error;
          const failed = new Set(
            error.reasons.flatMap((r, i) =>
              r.code === 'ConditionalCheckFailed' && i < pending.length ? [i] : [],
            ),
          );
          if (!failed.size) throw error;
          conflicts.push(...pending.filter((_, i) => failed.has(i)));
          pending = pending.filter((_, i) => !failed.has(i));
          continue;
        }
        await this.materialize(key, audits);
        committed += pending.length;
        break;
      }
    });
    return { committed, conflicts };
  }
}
