import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CallbackStore, PendingCallback } from '../../domain/callbacks';

const key = (number: string) => ({ pk: `CALLBACK#${number}`, sk: 'CALLBACK' });
const byContact = (contactId: string) => ({ pk: `CALLBACKOF#${contactId}`, sk: 'CALLBACKOF' });

/**
 * A number's queued callback in the citizens table (`CALLBACK#<E.164>`, `CALLBACK`): pending until `until`
 * (TTL removes it a day later) or ended (`endedAt`). A request is one conditional update, so of two at once
 * for a number one writes and the other reads the first. `CALLBACKOF#<inbound contactId>` points at the
 * number, so the end of the callback contact (which knows only the inbound contact) ends the request.
 */
export class DynamoCallbackStore implements CallbackStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async pending(number: string, now: string): Promise<PendingCallback | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: key(number), ConsistentRead: true }),
    );
    if (!Item || Item.endedAt || String(Item.until) <= now) return undefined;
    return {
      number,
      contactId: String(Item.contactId),
      queue: String(Item.queue),
      ...(Item.topic ? { topic: String(Item.topic) } : {}),
      requestedAt: String(Item.requestedAt),
      until: String(Item.until),
    };
  }

  async request(callback: PendingCallback, now: string): Promise<PendingCallback | undefined> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key(callback.number),
          UpdateExpression:
            'SET contactId = :c, #q = :q, topic = :t, requestedAt = :r, #u = :u, expiresAt = :x REMOVE endedAt',
          // Free: never asked, over its time, or ended. The same contact asking again is the same request.
          ConditionExpression:
            'attribute_not_exists(pk) OR #u <= :now OR attribute_exists(endedAt) OR contactId = :c',
          ExpressionAttributeNames: { '#q': 'queue', '#u': 'until' },
          ExpressionAttributeValues: {
            ':c': callback.contactId,
            ':q': callback.queue,
            ':t': callback.topic ?? '',
            ':r': callback.requestedAt,
            ':u': callback.until,
            ':x': Math.floor(Date.parse(callback.until) / 1000) + 86_400,
            ':now': now,
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return (await this.pending(callback.number, now)) ?? this.request(callback, now);
    }
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...byContact(callback.contactId),
          number: callback.number,
          expiresAt: Math.floor(Date.parse(callback.until) / 1000) + 86_400,
        },
      }),
    );
    return undefined;
  }

  async endFor(contactId: string, now: string): Promise<boolean> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: byContact(contactId), ConsistentRead: true }),
    );
    return Item ? this.end(String(Item.number), now, contactId) : false;
  }

  async end(number: string, now: string, contactId?: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key(number),
          UpdateExpression: 'SET endedAt = :now',
          ConditionExpression:
            'attribute_exists(pk) AND attribute_not_exists(endedAt)' +
            (contactId ? ' AND contactId = :c' : ''),
          ExpressionAttributeValues: { ':now': now, ...(contactId ? { ':c': contactId } : {}) },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
