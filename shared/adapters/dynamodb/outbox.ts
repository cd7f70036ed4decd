import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ContactDataEraser } from '../../domain/erasure';
import type { FollowUpSink, FollowUpTask } from '../../domain/follow-up';
import type { MessageSender, OutgoingMessage } from '../../domain/messaging';
import { TransactionCancelled, transactWrite } from './transact';

/**
 * What would have left the building, recorded once per id in the cases table, newest last: the local stand-in
 * for an outside service.
 */
class RecordedLog<T extends { readonly id: string }> {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly partition: string,
    private readonly now: () => Date,
  ) {}

  async add(entry: T): Promise<void> {
    try {
      // The id guard and the entry, together: a redelivery finds the guard and records nothing.
      await transactWrite(this.doc, [
        {
          Put: {
            TableName: this.table,
            Item: { pk: `${this.partition}ID#${entry.id}`, sk: `${this.partition}ID` },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: this.table,
            Item: {
              pk: this.partition,
              sk: `${this.now().toISOString()}#${entry.id}`,
              type: this.partition,
              ...entry,
            },
          },
        },
      ]);
    } catch (error) {
      if (error instanceof TransactionCancelled && error.failedCondition() === 0) return;
      throw error;
    }
  }

  async list(limit = 100): Promise<T[]> {
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': this.partition },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (page.Items ?? []).map(({ pk: _pk, sk: _sk, type: _type, ...m }) => m as unknown as T);
  }
}

/** The local stand-in for SMS and WhatsApp: every message the citizen would receive; GET /outbox shows it. */
export class DynamoOutbox implements MessageSender {
  private readonly log: RecordedLog<OutgoingMessage>;
  constructor(doc: DynamoDBDocumentClient, table: string, now: () => Date = () => new Date()) {
    this.log = new RecordedLog(doc, table, 'OUTBOX', now);
  }
  send(message: OutgoingMessage): Promise<void> {
    return this.log.add(message);
  }
  list(limit?: number): Promise<OutgoingMessage[]> {
    return this.log.list(limit);
  }
}

/** The local stand-in for Connect tasks: every follow-up an agent would be handed; GET /tasks shows them. */
export class DynamoTaskOutbox implements FollowUpSink {
  private readonly log: RecordedLog<FollowUpTask>;
  constructor(doc: DynamoDBDocumentClient, table: string, now: () => Date = () => new Date()) {
    this.log = new RecordedLog(doc, table, 'TASKS', now);
  }
  create(task: FollowUpTask): Promise<void> {
    return this.log.add(task);
  }
  list(limit?: number): Promise<FollowUpTask[]> {
    return this.log.list(limit);
  }
}

/** The local stand-in for Connect's DeleteContactData: the contacts it would have been asked to erase. */
export class DynamoContactDataLog implements ContactDataEraser {
  private readonly log: RecordedLog<{ id: string; contactId: string }>;
  constructor(doc: DynamoDBDocumentClient, table: string, now: () => Date = () => new Date()) {
    this.log = new RecordedLog(doc, table, 'CONTACTERASURE', now);
  }
  async erase(contactIds: readonly string[]): Promise<void> {
    for (const contactId of contactIds) await this.log.add({ id: contactId, contactId });
  }
  list(limit?: number): Promise<{ id: string; contactId: string }[]> {
    return this.log.list(limit);
  }
}
