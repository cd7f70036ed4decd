import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';

type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/** Why each item of a cancelled transaction failed, in request order ("None" for items that were fine). */
export class TransactionCancelled extends Error {
  constructor(readonly reasons: readonly { code: string; item?: Record<string, unknown> }[]) {
    super(`transaction cancelled: ${reasons.map((r) => r.code).join(', ')}`);
  }
  /** Index of the first item whose condition failed, or -1. */
  failedCondition(): number {
    return this.reasons.findIndex((r) => r.code === 'ConditionalCheckFailed');
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes all items or none. A transaction that collides with another one in flight (TransactionConflict)
 * is retried with jittered backoff; a failed condition is final and surfaces as TransactionCancelled.
 */
export async function transactWrite(
  doc: DynamoDBDocumentClient,
  items: TransactItems,
  attempts = 8,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await doc.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = (error.CancellationReasons ?? []).map((r) => ({
        code: r.Code ?? 'None',
        // The document client does not unmarshall the items of a cancelled transaction.
        ...(r.Item ? { item: unmarshall(r.Item) } : {}),
      }));
      const conflictOnly =
        !reasons.some((r) => r.code === 'ConditionalCheckFailed') &&
        reasons.some((r) => r.code === 'TransactionConflict');
      if (!conflictOnly || attempt >= attempts) throw new TransactionCancelled(reasons);
      // Jittered, doubling, at most a second: a long run of retries (a hot item) never sleeps for minutes.
      await sleep(Math.random() * Math.min(1000, 10 * 2 ** attempt));
    }
  }
}
