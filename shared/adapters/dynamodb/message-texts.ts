import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MESSAGE_TEXT_HOURS, type MessageTexts, type OutgoingMessage } from '../../domain/messaging';

const key = (id: string) => ({ pk: `MESSAGE#${id}`, sk: 'TEXT' });

/**
 * Outbound message texts in the citizens table (`MESSAGE#<id>`, `TEXT`: the text and the number it goes to),
 * removed by TTL after the schedule's `message` term (MESSAGE_TEXT_HOURS unless given). The outbound flow's
 * function only reads them.
 */
export class DynamoMessageTexts implements MessageTexts {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly now: () => Date = () => new Date(),
    private readonly keepHours = MESSAGE_TEXT_HOURS,
  ) {}

  async keep(message: Pick<OutgoingMessage, 'id' | 'to' | 'text'>): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...key(message.id),
          to: message.to,
          text: message.text,
          expiresAt: Math.floor(this.now().getTime() / 1000) + this.keepHours * 3600,
        },
      }),
    );
  }

  async read(id: string): Promise<{ text: string; to: string } | undefined> {
    // Consistent: Connect starts the contact a moment after the text is kept.
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: key(id), ConsistentRead: true }),
    );
    // TTL removes an item some time after it expires: until then it is treated as gone.
    const live = Item && Number(Item.expiresAt) > this.now().getTime() / 1000;
    return live ? { text: String(Item.text), to: String(Item.to) } : undefined;
  }
}
