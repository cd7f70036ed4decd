import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ImportLog, ImportLogEntry } from '../../domain/backoffice';
import { queryPages } from './pagination';

const PARTITION = 'IMPORTLOG';
/** Rows kept per part: a part is at most this many rows, so its problems fit in one item. */
export const MAX_PART_ROWS = 2000;

/** The back office's import history, in the cases table: one item per part of a file, written as it ends. */
export class DynamoImportLog implements ImportLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async record(entry: ImportLogEntry): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: PARTITION,
          sk: `${entry.fileId}#${String(entry.part).padStart(5, '0')}`,
          type: PARTITION,
          ...entry,
          problems: entry.problems.slice(0, MAX_PART_ROWS),
        },
      }),
    );
  }

  async list(): Promise<readonly ImportLogEntry[]> {
    const entries: ImportLogEntry[] = [];
    const query = {
      TableName: this.table,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': PARTITION },
    };
    const entryOf = ({ pk: _pk, sk: _sk, type: _type, ...entry }: Record<string, unknown>) =>
      entry as unknown as ImportLogEntry;
    for await (const page of queryPages(this.doc, query, entryOf)) entries.push(...page);
    return entries.sort((a, b) => b.at.localeCompare(a.at) || a.part - b.part);
  }
}
