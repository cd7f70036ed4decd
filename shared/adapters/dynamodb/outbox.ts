import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MessageSender, OutgoingMessage } from '../../domain/messaging';
import { TransactionCancelled, transactWrite } from './transact';

const PARTITION = 'OUTBOX';

/**
 * The local stand-in for SMS and WhatsApp: every message the citizen would receive, recorded once per
 * message id in the cases table, newest last; the staff API shows it at GET /outbox.
 */
export class DynamoOutbox implements MessageSender {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async send(message: OutgoingMessage): Promise<void> {
    try {
      // The id guard and the message, together: a redelivery finds the guard and records nothing.
      await transactWrite(this.doc, [
        {
          Put: {
            TableName: this.table,
            Item: { pk: `OUTBOXID#${message.id}`, sk: 'OUTBOXID' },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: this.table,
            Item: {
              pk: PARTITION,
              sk: `${this.now().toISOString()}#${message.id}`,
              type: 'OUTBOX',
              ...message,
            },
          },
        },
      ]);
    } catch (error) {
      if (error instanceof TransactionCancelled && error.failedCondition() === 0) return;
      throw error;
    }
  }

  async list(limit = 100): Promise<OutgoingMessage[]> {
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': PARTITION },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (page.Items ?? []).map(
      ({ pk: _pk, sk: _sk, type: _type, ...m }) => m as unknown as OutgoingMessage,
    );
  }
}
