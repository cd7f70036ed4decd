import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { forEachConcurrently } from '../shared/domain/concurrency';

/**
 * DynamoDB's TTL process, which DynamoDB Local does not run: every item whose `expiresAt` (epoch seconds) is
 * before `now` is deleted — only while it still is, as a hold may have set the expiry aside meanwhile. In AWS
 * the service does this itself, usually within a few days of the expiry; until then the code treats an
 * expired item as gone where it matters (message texts, proofs of identity).
 */
export async function expireItems(
  doc: DynamoDBDocumentClient,
  tables: readonly string[],
  now: Date,
): Promise<Record<string, number>> {
  const cutoff = Math.floor(now.getTime() / 1000);
  const expired: Record<string, number> = {};
  for (const table of tables) {
    expired[table] = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new ScanCommand({
          TableName: table,
          FilterExpression: 'expiresAt < :now',
          ExpressionAttributeValues: { ':now': cutoff },
          ProjectionExpression: 'pk, sk',
          ExclusiveStartKey: start,
        }),
      );
      await forEachConcurrently(page.Items ?? [], 16, async (key) => {
        try {
          await doc.send(
            new DeleteCommand({
              TableName: table,
              Key: { pk: key.pk, sk: key.sk },
              ConditionExpression: 'expiresAt < :now',
              ExpressionAttributeValues: { ':now': cutoff },
            }),
          );
          expired[table]!++;
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      });
      start = page.LastEvaluatedKey;
    } while (start);
  }
  return expired;
}
