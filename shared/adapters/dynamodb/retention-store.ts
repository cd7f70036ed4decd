import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Case, CaseStatus } from '../../domain/case';
import { forEachConcurrently } from '../../domain/concurrency';
import type { RetentionReport, RetentionStore } from '../../domain/retention-sweep';
import { caseFromItem, caseKeys } from './case-items';
import { queryPages, statusPartitionQuery } from './pagination';
import { INDEXES } from './tables';

const REPORTS = 'RETENTIONLOG';

/**
 * The retention sweep on the cases table: closed cases from the status index (`STATUS#<status>#<department>`,
 * sorted by creation, so only those created before the term's start are read); a case's partition ended
 * piece by piece, the case item last and only at the version read, so a run that stops half way leaves the
 * case to be found and finished by the next; the runs' reports under `RETENTIONLOG`, `<date>#<start>`.
 */
export class DynamoRetentionStore implements RetentionStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  closedCases(
    status: CaseStatus,
    departmentId: string,
    createdBefore: string,
  ): AsyncIterable<readonly Case[]> {
    const query = statusPartitionQuery(this.table, caseKeys.statusPartition(status, departmentId), 200);
    return queryPages(
      this.doc,
      {
        ...query,
        KeyConditionExpression: `${query.KeyConditionExpression} AND ${INDEXES.byStatus.sortKey} < :before`,
        ExpressionAttributeValues: { ...query.ExpressionAttributeValues, ':before': createdBefore },
      },
      caseFromItem,
    );
  }

  async retireCase(
    found: Case,
    auditUntil: number | undefined,
  ): Promise<{ retired: boolean; records: number }> {
    const { pk } = caseKeys.case(found.ticket);
    const keys: { pk: string; sk: string }[] = [];
    for await (const page of queryPages(
      this.doc,
      { TableName: this.table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': pk } },
      (item) => ({ pk: String(item.pk), sk: String(item.sk) }),
    ))
      keys.push(...page.filter((k) => k.sk !== 'CASE'));
    let records = 0;
    await forEachConcurrently(keys, 8, async (key) => {
      if (auditUntil !== undefined && key.sk.startsWith(caseKeys.auditPrefix)) {
        // The history outlives the case: TTL ends it at its own term.
        await this.doc.send(
          new UpdateCommand({
            TableName: this.table,
            Key: key,
            UpdateExpression: 'SET expiresAt = :e',
            ExpressionAttributeValues: { ':e': auditUntil },
          }),
        );
        return;
      }
      await this.doc.send(new DeleteCommand({ TableName: this.table, Key: key }));
      records++;
    });
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: caseKeys.case(found.ticket),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': found.version },
        }),
      );
      return { retired: true, records: records + 1 };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { retired: false, records };
      throw error;
    }
  }

  async saveReport(report: RetentionReport): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: REPORTS, sk: `${report.date}#${report.startedAt}`, type: 'RETENTION_REPORT', ...report },
      }),
    );
  }

  async report(date: string): Promise<RetentionReport | undefined> {
    const { Items } = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :d)',
        ExpressionAttributeValues: { ':p': REPORTS, ':d': `${date}#` },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const item = Items?.[0];
    if (!item) return undefined;
    const { pk: _pk, sk: _sk, type: _type, ...report } = item;
    return report as unknown as RetentionReport;
  }
}
