import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { MessageQuota } from '../../domain/messaging';

/** Days a number's count is kept after its day: long enough for any retry, short enough to hold nothing. */
const KEEP_DAYS = 2;

/**
 * A number's messages of a day as one item of the citizens table (`QUOTA#<number>`, `DAY#<date>`) holding the
 * ids counted, removed by TTL two days later. One conditional update counts an id: concurrent senders to one
 * number cannot pass the cap between them.
 */
export class DynamoMessageQuota implements MessageQuota {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async take(to: string, day: string, id: string, cap: number): Promise<boolean> {
    const key = { pk: `QUOTA#${to}`, sk: `DAY#${day}` };
    const expiresAt = Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + (KEEP_DAYS + 1) * 86_400;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: 'ADD ids :id SET expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(ids) OR (size(ids) < :cap AND NOT contains(ids, :one))',
          ExpressionAttributeValues: {
            ':id': new Set([id]),
            ':one': id,
            ':cap': cap,
            ':expires': expiresAt,
          },
        }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Refused: either this id was counted already (a retry, allowed) or the day's cap is spent.
      const { Item } = await this.doc.send(
        new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }),
      );
      return (Item?.ids as Set<string> | undefined)?.has(id) ?? false;
    }
  }
}
