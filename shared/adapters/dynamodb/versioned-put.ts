import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Puts an item only over the version it was read at (`undefined`: only where there is none yet): true if it
 * was written, false if someone else changed it first.
 */
export async function putAtVersion(
  doc: DynamoDBDocumentClient,
  table: string,
  item: Record<string, unknown>,
  readVersion: number | undefined,
): Promise<boolean> {
  try {
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: item,
        ConditionExpression: readVersion === undefined ? 'attribute_not_exists(pk)' : 'version = :read',
        ...(readVersion === undefined ? {} : { ExpressionAttributeValues: { ':read': readVersion } }),
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
