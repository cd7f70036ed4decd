import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../../domain/errors';
import { INDEXES } from './tables';

export const DEFAULT_PAGE = 25;
export const MAX_PAGE = 100;

export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE)
    throw new ValidationError('limit', `must be a whole number from 1 to ${MAX_PAGE}`);
  return limit;
}

/** Opaque cursor: the query's LastEvaluatedKey (string attributes only), base64url JSON. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

export function decodeCursor(cursor: string | undefined): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      key &&
      typeof key === 'object' &&
      !Array.isArray(key) &&
      Object.values(key).every((v) => typeof v === 'string')
    )
      return key as Record<string, string>;
  } catch {
    // fall through
  }
  throw new ValidationError('cursor', 'is not a cursor this service issued');
}

/** Every page of a query, parsed; empty pages are skipped. */
export async function* queryPages<T>(
  doc: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
  parse: (item: Record<string, unknown>) => T,
): AsyncIterable<T[]> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    const items = (page.Items ?? []).map(parse);
    if (items.length) yield items;
    start = page.LastEvaluatedKey;
  } while (start);
}

/** Every item of a partition, all pages, as the record it stores: its keys and `type` left out. */
export async function partitionRecords<T>(
  doc: DynamoDBDocumentClient,
  table: string,
  pk: string,
  consistent = false,
): Promise<T[]> {
  const records: T[] = [];
  const query = {
    TableName: table,
    KeyConditionExpression: 'pk = :p',
    ExpressionAttributeValues: { ':p': pk },
    ...(consistent ? { ConsistentRead: true } : {}),
  };
  for await (const page of queryPages(
    doc,
    query,
    ({ pk: _pk, sk: _sk, type: _type, ...record }) => record as T,
  ))
    records.push(...page);
  return records;
}

/** The cases of a status partition (one department), oldest first, `limit` a page. */
export const statusPartitionQuery = (table: string, partition: string, limit = 500) => ({
  TableName: table,
  IndexName: INDEXES.byStatus.name,
  KeyConditionExpression: `${INDEXES.byStatus.partitionKey} = :k`,
  ExpressionAttributeValues: { ':k': partition },
  Limit: limit,
});
