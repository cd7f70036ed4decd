import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Case, CaseStatus } from '../../domain/case';
import type { FollowUpStore, FollowUpTask } from '../../domain/follow-up';
import { batchGet } from './batch';
import { caseFromItem, caseKeys } from './case-items';
import { queryPages, statusPartitionQuery } from './pagination';

const marker = (id: string) => ({ pk: `FOLLOWUP#${id}`, sk: 'FOLLOWUP' });
/** Markers outlive the day they guard by a week, then TTL removes them. */
const MARKER_DAYS = 8;

/** Follow-up runs on DynamoDB: cases from the status index, a marker per task created (kept a week). */
export class DynamoFollowUpStore implements FollowUpStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  casesIn(status: CaseStatus, departmentId: string): AsyncIterable<readonly Case[]> {
    const partition = caseKeys.statusPartition(status, departmentId);
    return queryPages(this.doc, statusPartitionQuery(this.table, partition), caseFromItem);
  }

  async created(ids: readonly string[]): Promise<ReadonlySet<string>> {
    const found = await batchGet(this.doc, this.table, ids.map(marker), (item) => String(item.taskId));
    return new Set(found);
  }

  async markCreated(task: FollowUpTask): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...marker(task.id),
          taskId: task.id,
          ticket: task.ticket,
          expiresAt: Math.floor(Date.parse(`${task.date}T00:00:00Z`) / 1000) + MARKER_DAYS * 86_400,
        },
      }),
    );
  }
}
