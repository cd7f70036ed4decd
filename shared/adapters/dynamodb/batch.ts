import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { chunks, forEachConcurrently } from '../../domain/concurrency';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Puts items in 25-item batches, `concurrency` batches at a time, resending whatever DynamoDB leaves
 * unprocessed. Plain puts with no conditions: for bulk loads of items known to be new.
 */
export async function batchPut(
  doc: DynamoDBDocumentClient,
  table: string,
  items: readonly Record<string, unknown>[],
  concurrency = 4,
): Promise<void> {
  await forEachConcurrently(chunks(items, 25), concurrency, async (chunk) => {
    let pending = chunk.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length; attempt++) {
      if (attempt > 10)
        throw new Error(`batch write to ${table}: items still unprocessed after ${attempt} tries`);
      if (attempt) await sleep(20 * 2 ** Math.min(attempt, 6));
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (out.UnprocessedItems?.[table] ?? []) as typeof pending;
    }
  });
}

/**
 * Reads items by key, 100 keys a call and 4 calls at a time, resending unprocessed keys; order not kept.
 * `consistent` reads what the last committed write left (the default may lag it briefly).
 */
export async function batchGet<T>(
  doc: DynamoDBDocumentClient,
  table: string,
  keys: readonly Record<string, string>[],
  parse: (item: Record<string, unknown>) => T,
  consistent = false,
): Promise<T[]> {
  const out: T[] = [];
  await forEachConcurrently(chunks(keys, 100), 4, async (chunk) => {
    let pending: Record<string, unknown>[] = chunk;
    for (let attempt = 0; pending.length; attempt++) {
      if (attempt > 10) throw new Error(`batch read of ${table}: keys still unprocessed`);
      if (attempt) await sleep(20 * 2 ** Math.min(attempt, 6));
      const res = await doc.send(
        new BatchGetCommand({
          RequestItems: { [table]: { Keys: pending, ...(consistent ? { ConsistentRead: true } : {}) } },
        }),
      );
      out.push(...(res.Responses?.[table] ?? []).map(parse));
      pending = (res.UnprocessedKeys?.[table]?.Keys ?? []) as Record<string, unknown>[];
    }
  });
  return out;
}
